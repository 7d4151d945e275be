package dev.promptlab.generation.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.generation.provider.ConsecutiveFailureBreaker.State;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's rules on a clock the test moves: no waiting, no timing windows. */
class ConsecutiveFailureBreakerTest {

  private static final long RESET_MS = 30_000;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ConsecutiveFailureBreaker breaker = new ConsecutiveFailureBreaker(5, RESET_MS, now::get);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertTrue(breaker.tryAcquire(), "call " + (i + 1) + " goes through");
      breaker.onFailure();
    }
  }

  @Test
  void fiveFailuresInARowOpenItHoweverFarApartTheyAre() {
    for (int i = 0; i < 4; i++) {
      fail(1);
      now.addAndGet(3_600);
      assertEquals(State.CLOSED, breaker.state(), "after " + (i + 1) + " failures");
    }
    now.addAndGet(3_600_000);
    fail(1);
    assertEquals(State.OPEN, breaker.state(), "the fifth failure in a row opens it, an hour later too");
    assertFalse(breaker.tryAcquire());
  }

  @Test
  void aSuccessStartsTheCountOver() {
    fail(4);
    assertTrue(breaker.tryAcquire());
    breaker.onSuccess();
    fail(4);
    assertEquals(State.CLOSED, breaker.state(), "4 + 4 failures, but never 5 in a row");
    fail(1);
    assertEquals(State.OPEN, breaker.state());
  }

  @Test
  void aNeutralOutcomeNeitherCountsNorResets() {
    fail(4);
    assertTrue(breaker.tryAcquire());
    breaker.onNeutral();
    assertEquals(State.CLOSED, breaker.state());
    fail(1);
    assertEquals(State.OPEN, breaker.state(), "the bad original in between did not reset the count");
  }

  @Test
  void refusesUntilTheResetTimeThenLetsExactlyOneTrialThrough() {
    fail(5);
    now.addAndGet(RESET_MS - 1);
    assertEquals(State.OPEN, breaker.state());
    assertEquals(1, breaker.msUntilTrial());
    assertFalse(breaker.tryAcquire(), "one millisecond before the reset time");
    now.addAndGet(1);
    assertEquals(State.HALF_OPEN, breaker.state());
    assertEquals(0, breaker.msUntilTrial());
    assertTrue(breaker.tryAcquire(), "the trial");
    assertFalse(breaker.tryAcquire(), "a second call while the trial runs");
    breaker.onSuccess();
    assertEquals(State.CLOSED, breaker.state());
    assertTrue(breaker.tryAcquire());
    assertTrue(breaker.tryAcquire());
  }

  @Test
  void aFailedTrialOpensItForAnotherResetTime() {
    fail(5);
    now.addAndGet(RESET_MS);
    assertTrue(breaker.tryAcquire());
    breaker.onFailure();
    assertEquals(State.OPEN, breaker.state(), "one failed trial is enough");
    assertEquals(RESET_MS, breaker.msUntilTrial());
    now.addAndGet(RESET_MS - 1);
    assertFalse(breaker.tryAcquire());
    now.addAndGet(1);
    assertTrue(breaker.tryAcquire());
    breaker.onSuccess();
    fail(4);
    assertEquals(State.CLOSED, breaker.state(), "the count started over after the good trial");
  }

  @Test
  void aTrialThatToldNothingHandsTheTrialToTheNextCall() {
    fail(5);
    now.addAndGet(RESET_MS);
    assertTrue(breaker.tryAcquire());
    breaker.onNeutral();
    assertEquals(State.HALF_OPEN, breaker.state());
    assertTrue(breaker.tryAcquire(), "the next call is the trial");
    assertFalse(breaker.tryAcquire());
  }

  @Test
  void lateOutcomesOfCallsLetThroughBeforeItOpened() {
    assertTrue(breaker.tryAcquire());
    fail(5);
    breaker.onSuccess();
    assertEquals(State.OPEN, breaker.state(), "an old call's success does not close an open circuit");
    breaker.onFailure();
    assertEquals(RESET_MS, breaker.msUntilTrial(), "nor does an old call's failure move the reset time");
  }

  @Test
  void refusesMeaninglessSettings() {
    assertThrows(IllegalArgumentException.class, () -> new ConsecutiveFailureBreaker(0, 1, now::get));
    assertThrows(IllegalArgumentException.class, () -> new ConsecutiveFailureBreaker(1, 0, now::get));
  }
}
