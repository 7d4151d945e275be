package dev.promptlab.http.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {

  private static final String TRAINER = "ana@example.com";
  private final ManualClock clock = new ManualClock();

  private LoginLimiter limiter(int free, int ceiling, int parallel) {
    return new LoginLimiter(new LoginLimits(free, Duration.ofSeconds(1), Duration.ofMinutes(15), ceiling,
      Duration.ofMinutes(15), parallel), clock);
  }

  private static void fail(LoginLimiter limiter, String account, String address) {
    LoginThrottle.Decision decision = limiter.reserve(account, address);
    assertTrue(decision.allowed(), account + " from " + address + " should be allowed to try");
    decision.attempt().get().failed();
  }

  @Test
  void afterTheFreeFailuresEachWaitDoublesUpToTheMaximum() {
    LoginLimiter limiter = limiter(3, 1000, 10);
    for (int i = 0; i < 3; i++) {
      fail(limiter, TRAINER, "10.0.0.1");
    }
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      LoginThrottle.Decision refused = limiter.reserve(TRAINER, "10.0.0.1");
      assertFalse(refused.allowed());
      waits.add(refused.retryAfter());
      clock.advance(refused.retryAfter());
      fail(limiter, TRAINER, "10.0.0.1");
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L),
      waits.stream().map(Duration::toSeconds).toList());
  }

  @Test
  void parallelAttemptsAreCountedBeforeTheirPasswordIsChecked() {
    LoginLimiter limiter = limiter(5, 1000, 100);
    List<LoginThrottle.Attempt> inFlight = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 40; i++) {
      LoginThrottle.Decision decision = limiter.reserve(TRAINER, "10.0.0.1");
      if (decision.allowed()) {
        inFlight.add(decision.attempt().get());
      } else {
        refused++;
      }
    }
    assertEquals(5, inFlight.size(), "only the free attempts go on to a password check");
    assertEquals(35, refused);
  }

  @Test
  void oneAddressMayRunOnlyAFewChecksAtOnce() {
    LoginLimiter limiter = limiter(50, 1000, 2);
    LoginThrottle.Attempt first = limiter.reserve("a@example.com", "10.0.0.1").attempt().orElseThrow();
    limiter.reserve("b@example.com", "10.0.0.1").attempt().orElseThrow();
    assertFalse(limiter.reserve("c@example.com", "10.0.0.1").allowed(), "a third check in parallel waits");
    assertTrue(limiter.reserve("c@example.com", "10.0.0.2").allowed(), "another address is not affected");
    first.failed();
    first.failed();
    assertTrue(limiter.reserve("c@example.com", "10.0.0.1").allowed(), "a finished check frees its place once");
    assertFalse(limiter.reserve("d@example.com", "10.0.0.1").allowed());
  }

  @Test
  void failuresFromOneAddressDoNotLockTheTrainerOutElsewhere() {
    LoginLimiter limiter = limiter(5, 100, 10);
    for (int i = 0; i < 5; i++) {
      fail(limiter, TRAINER, "203.0.113.9");
    }
    assertFalse(limiter.reserve(TRAINER, "203.0.113.9").allowed());
    LoginThrottle.Decision trainer = limiter.reserve(TRAINER, "198.51.100.7");
    assertTrue(trainer.allowed());
    trainer.attempt().get().succeeded();
    assertFalse(limiter.reserve(TRAINER, "203.0.113.9").allowed(), "the attacker's pair still waits");
  }

  @Test
  void aSuccessForgetsThePairsFailuresAndItsReservation() {
    LoginLimiter limiter = limiter(3, 3, 10);
    fail(limiter, TRAINER, "10.0.0.1");
    fail(limiter, TRAINER, "10.0.0.1");
    limiter.reserve(TRAINER, "10.0.0.1").attempt().orElseThrow().succeeded();
    for (int i = 0; i < 3; i++) {
      fail(limiter, TRAINER, "10.0.0.1");
    }
    assertFalse(limiter.reserve(TRAINER, "10.0.0.1").allowed());
  }

  @Test
  void theAccountCeilingStopsManyAddressesButNotOnesThatLoggedInBefore() {
    LoginLimiter limiter = limiter(2, 10, 10);
    limiter.reserve(TRAINER, "192.0.2.50").attempt().orElseThrow().succeeded();
    for (int i = 0; i < 5; i++) {
      fail(limiter, TRAINER, "203.0.113." + i);
      fail(limiter, TRAINER, "203.0.113." + i);
    }
    LoginThrottle.Decision stranger = limiter.reserve(TRAINER, "203.0.113.200");
    assertFalse(stranger.allowed(), "a new address waits once the account has 10 failures in the window");
    assertEquals(Duration.ofMinutes(15), stranger.retryAfter());
    assertTrue(limiter.reserve(TRAINER, "192.0.2.50").allowed(), "the trainer's own address still gets in");
    assertTrue(limiter.reserve("other@example.com", "203.0.113.200").allowed(), "other accounts are not affected");
    clock.advance(Duration.ofMinutes(15));
    assertTrue(limiter.reserve(TRAINER, "203.0.113.201").allowed(), "failures leave the window");
  }

  @Test
  void aPairIsForgottenAWindowAfterItMayTryAgain() {
    LoginLimiter limiter = limiter(2, 100, 10);
    fail(limiter, TRAINER, "10.0.0.1");
    fail(limiter, TRAINER, "10.0.0.1");
    clock.advance(Duration.ofSeconds(1));
    fail(limiter, TRAINER, "10.0.0.1");
    LoginThrottle.Decision refused = limiter.reserve(TRAINER, "10.0.0.1");
    assertEquals(Duration.ofSeconds(2), refused.retryAfter());
    clock.advance(Duration.ofSeconds(2).plus(Duration.ofMinutes(15)));
    fail(limiter, TRAINER, "10.0.0.1");
    assertTrue(limiter.reserve(TRAINER, "10.0.0.1").allowed(), "the free failures are back");
  }
}
