package dev.promptlab.http.accounts;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PasswordChecksTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void anUnknownEmailCostsTheSameIterationsAsAWrongPassword() {
    List<Integer> rounds = new CopyOnWriteArrayList<>();
    PasswordHasher hasher = new PasswordHasher(5_000, (password, salt, n) -> {
      rounds.add(n);
      return new byte[32];
    });
    String stored = new PasswordHasher(5_000).hash("the trainer's password");
    PasswordChecks checks = await(vertx.executeBlocking(() -> new PasswordChecks(vertx, hasher, 1, 4)));
    rounds.clear();
    assertFalse(await(checks.matches("a guess", stored)));
    assertFalse(await(checks.matches("a guess", null)));
    assertEquals(List.of(5_000, 5_000), rounds, "the decoy is checked with the configured iterations");
  }

  @Test
  void atMostTheConfiguredChecksRunAtOnceAndAFullQueueIsRefusedAtOnce() throws Exception {
    int threads = 2;
    int waiting = 3;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(threads);
    PasswordChecks checks = await(vertx.executeBlocking(() -> new PasswordChecks(vertx, new PasswordHasher(1_000),
      threads, waiting)));
    CountDownLatch gate = new CountDownLatch(1);
    PasswordHasher gated = new PasswordHasher(1_000, (password, salt, n) -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      started.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return new byte[32];
    });
    String stored = new PasswordHasher(1_000).hash("x");
    List<Future<Boolean>> admitted = new ArrayList<>();
    for (int i = 0; i < threads + waiting; i++) {
      admitted.add(checks.run(() -> gated.matches("guess", stored)));
    }
    assertTrue(started.await(30, TimeUnit.SECONDS), "the first checks started");
    Future<Boolean> overflow = checks.run(() -> gated.matches("guess", stored));
    assertTrue(overflow.failed(), "refused without waiting");
    assertEquals(503, ((ApiError) overflow.cause()).status());
    assertEquals("busy", ((ApiError) overflow.cause()).code());
    gate.countDown();
    for (Future<Boolean> check : admitted) {
      assertFalse(await(check));
    }
    assertEquals(threads, most.get(), "never more checks at once than threads");
    assertTrue(await(checks.run(() -> true)), "places are given back");
  }
}
