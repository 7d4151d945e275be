package dev.promptlab.http.accounts;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The login throttle of a cluster on the real PostgreSQL: two throttles stand for two nodes, each with its own pool,
 * and the rules of {@link LoginLimiter} hold across them.
 */
@ExtendWith(BlockedThreadGuard.class)
class SharedLoginThrottleTest {

  private static final String TRAINER = "ana@example.com";
  private final ManualClock clock = new ManualClock();
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    vertx = TestVertx.create();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  /** One node's throttle. */
  private SharedLoginThrottle node(int free, int ceiling, int parallel) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
      .connectingTo(new PgConnectOptions(TestDatabase.pgOptions())).using(vertx).build();
    return new SharedLoginThrottle(pool, new LoginLimits(free, Duration.ofSeconds(1), Duration.ofMinutes(15), ceiling,
      Duration.ofMinutes(15), parallel), clock);
  }

  private static LoginThrottle.Decision admit(LoginThrottle throttle, String account, String address) {
    return await(throttle.admit(account, address));
  }

  private static void fail(LoginThrottle throttle, String account, String address) {
    LoginThrottle.Decision decision = admit(throttle, account, address);
    assertTrue(decision.allowed(), account + " from " + address + " should be allowed to try");
    decision.attempt().get().failed();
  }

  @Test
  void failuresOnOneNodeMakeTheSamePairWaitOnAnother() {
    SharedLoginThrottle a = node(3, 1000, 10);
    SharedLoginThrottle b = node(3, 1000, 10);
    fail(a, TRAINER, "10.0.0.1");
    fail(b, TRAINER, "10.0.0.1");
    fail(a, TRAINER, "10.0.0.1");
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      SharedLoginThrottle node = i % 2 == 0 ? b : a;
      LoginThrottle.Decision refused = admit(node, TRAINER, "10.0.0.1");
      assertFalse(refused.allowed());
      waits.add(refused.retryAfter());
      clock.advance(refused.retryAfter());
      fail(node, TRAINER, "10.0.0.1");
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L),
      waits.stream().map(Duration::toSeconds).toList());
  }

  @Test
  void parallelAttemptsOnTwoNodesAreCountedBeforeTheirPasswordsAreChecked() {
    SharedLoginThrottle a = node(5, 1000, 100);
    SharedLoginThrottle b = node(5, 1000, 100);
    List<Future<LoginThrottle.Decision>> decisions = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      decisions.add((i % 2 == 0 ? a : b).admit(TRAINER, "10.0.0.1"));
    }
    long allowed = decisions.stream().map(d -> await(d)).filter(LoginThrottle.Decision::allowed).count();
    assertEquals(5, allowed, "only the free attempts go on to a password check, whichever node they reached");
  }

  @Test
  void aSuccessForgetsThePairsFailuresOnEveryNode() {
    SharedLoginThrottle a = node(3, 3, 10);
    SharedLoginThrottle b = node(3, 3, 10);
    fail(a, TRAINER, "10.0.0.1");
    fail(a, TRAINER, "10.0.0.1");
    admit(b, TRAINER, "10.0.0.1").attempt().orElseThrow().succeeded();
    Eventually.until("the success is recorded",
      () -> TestDatabase.count("SELECT count(*) FROM login_known_addresses") == 1
        && TestDatabase.count("SELECT count(*) FROM login_pairs") == 0);
    for (int i = 0; i < 3; i++) {
      fail(a, TRAINER, "10.0.0.1");
    }
    assertFalse(admit(b, TRAINER, "10.0.0.1").allowed());
  }

  @Test
  void theAccountCeilingStopsManyAddressesOnAnyNodeButNotOnesThatLoggedInBefore() {
    SharedLoginThrottle a = node(2, 10, 10);
    SharedLoginThrottle b = node(2, 10, 10);
    admit(a, TRAINER, "192.0.2.50").attempt().orElseThrow().succeeded();
    Eventually.until("the success is recorded", () -> TestDatabase.count("SELECT count(*) FROM login_known_addresses") == 1);
    for (int i = 0; i < 5; i++) {
      fail(a, TRAINER, "203.0.113." + i);
      fail(b, TRAINER, "203.0.113." + i);
    }
    LoginThrottle.Decision stranger = admit(b, TRAINER, "203.0.113.200");
    assertFalse(stranger.allowed(), "a new address waits once the account has 10 failures in the window");
    assertEquals(Duration.ofMinutes(15), stranger.retryAfter());
    assertTrue(admit(b, TRAINER, "192.0.2.50").allowed(), "the trainer's own address still gets in");
    assertTrue(admit(a, "other@example.com", "203.0.113.200").allowed(), "other accounts are not affected");
    clock.advance(Duration.ofMinutes(15));
    assertTrue(admit(a, TRAINER, "203.0.113.201").allowed(), "failures leave the window");
  }

  @Test
  void aPairIsForgottenAWindowAfterItMayTryAgain() {
    SharedLoginThrottle a = node(2, 100, 10);
    fail(a, TRAINER, "10.0.0.1");
    fail(a, TRAINER, "10.0.0.1");
    clock.advance(Duration.ofSeconds(1));
    fail(a, TRAINER, "10.0.0.1");
    assertEquals(Duration.ofSeconds(2), admit(a, TRAINER, "10.0.0.1").retryAfter());
    clock.advance(Duration.ofSeconds(2).plus(Duration.ofMinutes(15)));
    fail(a, TRAINER, "10.0.0.1");
    assertTrue(admit(a, TRAINER, "10.0.0.1").allowed(), "the free failures are back");
  }

  @Test
  void checksInProgressAreLimitedPerNode() {
    SharedLoginThrottle a = node(50, 1000, 2);
    SharedLoginThrottle b = node(50, 1000, 2);
    LoginThrottle.Attempt first = admit(a, "a@example.com", "10.0.0.1").attempt().orElseThrow();
    admit(a, "b@example.com", "10.0.0.1").attempt().orElseThrow();
    assertFalse(admit(a, "c@example.com", "10.0.0.1").allowed(), "a third check in parallel waits on this node");
    assertTrue(admit(b, "c@example.com", "10.0.0.1").allowed(), "another node's hashing threads are its own");
    first.failed();
    first.failed();
    assertTrue(admit(a, "c@example.com", "10.0.0.1").allowed(), "a finished check frees its place once");
    assertFalse(admit(a, "d@example.com", "10.0.0.1").allowed());
  }
}
