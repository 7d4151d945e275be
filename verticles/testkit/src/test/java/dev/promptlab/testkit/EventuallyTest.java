package dev.promptlab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

  @Test
  void returnsOnceTheConditionHolds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger checks = new AtomicInteger();
    CompletableFuture<Void> waiter = CompletableFuture.runAsync(() ->
      Eventually.until("the latch is released", () -> {
        checks.incrementAndGet();
        return release.getCount() == 0;
      }));
    // The waiter has checked at least once (and found the condition false) before the condition becomes true.
    Eventually.until("the waiter has checked", () -> checks.get() > 0);
    release.countDown();
    waiter.get();
  }

  @Test
  void returnsTheFirstValueThatSatisfies() {
    AtomicInteger counter = new AtomicInteger();
    assertEquals(3, Eventually.value("the counter reaches 3", counter::incrementAndGet, n -> n >= 3));
  }

  @Test
  void failsWithWhatWasAwaitedAndTheLastValue() {
    AssertionError error = assertThrows(AssertionError.class, () ->
      Eventually.value("the answer is 42", Duration.ofMillis(50), () -> 41, n -> n == 42));
    assertTrue(error.getMessage().contains("the answer is 42"), error.getMessage());
    assertTrue(error.getMessage().contains("last value: 41"), error.getMessage());
  }

  @Test
  void aProbeThatKeepsFailingIsReportedWithItsCause() {
    IllegalStateException cause = new IllegalStateException("no connection");
    AssertionError error = assertThrows(AssertionError.class, () ->
      Eventually.value("the row exists", Duration.ofMillis(50), () -> {
        throw cause;
      }, row -> true));
    assertSame(cause, error.getCause());
    assertTrue(error.getMessage().contains("no connection"), error.getMessage());
  }
}
