package dev.promptlab.testkit;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackToBackProbesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void answeredFromNowWaitsForAProbeSentAfterTheCall() {
    AtomicReference<Promise<Void>> inFlight = new AtomicReference<>();
    AtomicInteger sent = new AtomicInteger();
    BackToBackProbes probes = BackToBackProbes.start(vertx.getOrCreateContext(), () -> {
      sent.incrementAndGet();
      Promise<Void> answer = Promise.promise();
      inFlight.set(answer);
      return answer.future();
    });
    Eventually.until("the first probe is sent", () -> sent.get() == 1);
    Future<Void> later = probes.answeredFromNow();
    inFlight.get().complete();
    Eventually.until("the second probe is sent", () -> sent.get() == 2);
    assertFalse(later.isComplete(), "the probe answered was sent before the call");
    inFlight.get().complete();
    await(later);
    Eventually.until("the third probe is sent", () -> sent.get() == 3);
    Future<Void> stopped = probes.stop();
    assertFalse(stopped.isComplete(), "a stop waits for the probe in flight");
    inFlight.get().complete();
    await(stopped);
    assertEquals(3, probes.answered());
    assertEquals(List.of(), probes.failures());
  }

  @Test
  void failedProbesAreListed() {
    AtomicInteger number = new AtomicInteger();
    BackToBackProbes probes = BackToBackProbes.start(vertx.getOrCreateContext(), () ->
      number.incrementAndGet() % 2 == 0 ? Future.failedFuture("refused") : Future.succeededFuture());
    await(probes.answeredFromNow());
    await(probes.answeredFromNow());
    await(probes.stop());
    assertFalse(probes.failures().isEmpty());
    assertTrue(probes.failures().get(0).contains("refused"), probes.failures().toString());
  }
}
