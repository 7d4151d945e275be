package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.ProviderTestSupport.LEONARDO_KEY;
import static dev.promptlab.generation.provider.ProviderTestSupport.providerFailure;
import static dev.promptlab.generation.provider.ProviderTestSupport.request;
import static dev.promptlab.testkit.Await.await;
import static dev.promptlab.testkit.FakeImageApis.LEONARDO_ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.FailureCodes;
import dev.promptlab.generation.image.ImageRejectedException;
import dev.promptlab.generation.provider.ConsecutiveFailureBreaker.State;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The breaker in front of a provider. The reset time runs on a clock the test moves, so nothing here waits
 * for time to pass; the trial call is held open by a provider whose answers the test completes.
 */
@ExtendWith(BlockedThreadGuard.class)
class CircuitBreakingProviderTest {

  private static final long RESET_MS = 60_000;

  private ProviderFixture fixture;
  private Vertx vertx;
  private FakeImageApis fake;
  private final AtomicLong now = new AtomicLong(5_000_000);
  private final List<State> reported = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start("breaker-test");
    vertx = fixture.vertx;
    fake = fixture.fake;
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private CircuitBreakingProvider guarded(ImageProvider delegate) {
    return new CircuitBreakingProvider(vertx, delegate, new ConsecutiveFailureBreaker(3, RESET_MS, now::get),
      reported::add);
  }

  private CircuitBreakingProvider leonardo() {
    JsonObject section = ProviderTestSupport.fastResilience().put("base_url", fake.url(LEONARDO_ROOT))
      .put("api_key", LEONARDO_KEY).put("max_attempts", 1);
    return guarded(new LeonardoProvider(vertx, fixture.client, fixture.workers, LeonardoSettings.from(section)));
  }

  @Test
  void opensAfterFailuresInARowRefusesWithoutCallingAndLetsATrialThroughAfterTheReset() throws Exception {
    CircuitBreakingProvider provider = leonardo();
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(500), Reply.status(500), Reply.status(500));
    for (int i = 0; i < 3; i++) {
      assertEquals(ProviderFailure.Kind.SERVER_ERROR, providerFailure(provider.generate(request())).kind());
    }
    assertEquals(List.of(State.OPEN), reported);
    ProviderFailure open = providerFailure(provider.generate(request()));
    assertEquals(ProviderFailure.Kind.CIRCUIT_OPEN, open.kind());
    assertEquals(FailureCodes.PROVIDER_UNAVAILABLE, open.code());
    assertEquals(3, fake.received(Step.LEONARDO_INIT_IMAGE).size(), "an open circuit sends nothing");

    now.addAndGet(RESET_MS - 1);
    assertEquals(ProviderFailure.Kind.CIRCUIT_OPEN, providerFailure(provider.generate(request())).kind(),
      "still open just before the reset time");
    now.addAndGet(1);
    assertArrayEquals(fake.leonardoResult, await(provider.generate(request())).getBytes(), "the trial");
    await(provider.generate(request()));
    assertEquals(5, fake.received(Step.LEONARDO_INIT_IMAGE).size(), "closed again after a good trial");
    assertEquals(List.of(State.OPEN, State.HALF_OPEN, State.CLOSED), reported);
  }

  @Test
  void aSuccessBetweenFailuresKeepsItClosed() throws Exception {
    CircuitBreakingProvider provider = leonardo();
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(500), Reply.status(500));
    providerFailure(provider.generate(request()));
    providerFailure(provider.generate(request()));
    await(provider.generate(request()));
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(500), Reply.status(500));
    providerFailure(provider.generate(request()));
    providerFailure(provider.generate(request()));
    assertEquals(State.CLOSED, provider.state());
    assertTrue(reported.isEmpty(), "no change to report: " + reported);
  }

  @Test
  void whileTheTrialRunsOtherCallsAreRefusedAndAFailedTrialOpensItAgain() {
    HeldProvider held = new HeldProvider();
    CircuitBreakingProvider provider = guarded(held);
    for (int i = 0; i < 3; i++) {
      Future<Buffer> call = provider.generate(request());
      held.fail(new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR, "down"));
      providerFailure(call);
    }
    now.addAndGet(RESET_MS);
    Future<Buffer> trial = provider.generate(request());
    assertEquals(1, held.pending.size(), "the trial reached the provider");
    assertEquals(ProviderFailure.Kind.CIRCUIT_OPEN, providerFailure(provider.generate(request())).kind());
    assertEquals(1, held.pending.size(), "the second call did not");

    held.fail(new ProviderFailure(ProviderFailure.Kind.TIMEOUT, "slow"));
    assertEquals(ProviderFailure.Kind.TIMEOUT, providerFailure(trial).kind());
    assertEquals(State.OPEN, provider.state());
    assertEquals(ProviderFailure.Kind.CIRCUIT_OPEN, providerFailure(provider.generate(request())).kind());
    assertEquals(List.of(State.OPEN, State.HALF_OPEN, State.OPEN), reported);
  }

  @Test
  void aBadOriginalIsNotTheProvidersFaultNorATrial() throws Exception {
    CircuitBreakingProvider provider = leonardo();
    ProviderRequest broken = new ProviderRequest(Buffer.buffer("not an image"), "image/png",
      request().parameters(), request().prompt(), 1, "structure");
    for (int i = 0; i < 5; i++) {
      assertThrows(ImageRejectedException.class, () -> await(provider.generate(broken)));
    }
    assertEquals(State.CLOSED, provider.state());

    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(500), Reply.status(500), Reply.status(500));
    for (int i = 0; i < 3; i++) {
      providerFailure(provider.generate(request()));
    }
    now.addAndGet(RESET_MS);
    assertThrows(ImageRejectedException.class, () -> await(provider.generate(broken)));
    assertEquals(State.HALF_OPEN, provider.state(), "a bad original told nothing about the provider");
    assertArrayEquals(fake.leonardoResult, await(provider.generate(request())).getBytes(), "the next call is the trial");
    assertEquals(State.CLOSED, provider.state());
  }

  @Test
  void aDelegateThatThrowsCountsAsNeitherAndIsReportedAsAFailedFuture() {
    CircuitBreakingProvider provider = guarded(new HeldProvider() {
      @Override
      public Future<Buffer> generate(ProviderRequest request) {
        throw new IllegalStateException("bug");
      }
    });
    for (int i = 0; i < 5; i++) {
      assertThrows(IllegalStateException.class, () -> await(provider.generate(request())));
    }
    assertEquals(State.CLOSED, provider.state());
  }

  /** With the real clock and a short reset: the half-open state is reported when it comes, without any call. */
  @Test
  void anOpenCircuitIsReportedHalfOpenWhenTheResetTimeHasPassedWithoutACall() throws Exception {
    CompletableFuture<State> halfOpen = new CompletableFuture<>();
    HeldProvider held = new HeldProvider();
    CircuitBreakingProvider provider = new CircuitBreakingProvider(vertx, held,
      new ConsecutiveFailureBreaker(1, 50, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime())), state -> {
        if (state == State.HALF_OPEN) {
          halfOpen.complete(state);
        }
      });
    Future<Buffer> call = provider.generate(request());
    held.fail(new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR, "down"));
    providerFailure(call);
    assertEquals(State.HALF_OPEN, halfOpen.get(10, TimeUnit.SECONDS));
    assertEquals(0, held.pending.size());
    await(provider.close());
  }

  @Test
  void closingCancelsThePendingLookAndClosesTheDelegate() {
    HeldProvider held = new HeldProvider();
    CircuitBreakingProvider provider = guarded(held);
    for (int i = 0; i < 3; i++) {
      Future<Buffer> call = provider.generate(request());
      held.fail(new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR, "down"));
      providerFailure(call);
    }
    await(provider.close());
    assertTrue(held.closed);
    assertFalse(reported.contains(State.HALF_OPEN));
  }

  /** A provider whose calls stay open until the test ends them. */
  private static class HeldProvider implements ImageProvider {

    final Deque<Promise<Buffer>> pending = new ArrayDeque<>();
    boolean closed;

    @Override
    public String name() {
      return "held";
    }

    @Override
    public Future<Buffer> generate(ProviderRequest request) {
      Promise<Buffer> promise = Promise.promise();
      pending.add(promise);
      return promise.future();
    }

    void fail(Throwable failure) {
      pending.remove().fail(failure);
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }
}
