package dev.promptlab.textopt.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StopRulesTest {

  private final StopRules rules = new StopRules(0.9, 3, 10, 0.02, new BigDecimal("0.50"));

  @Test
  void aCandidateMustBeatTheIncumbentByTheMargin() {
    assertTrue(rules.beats(0.62, 0.60));
    assertFalse(rules.beats(0.615, 0.60));
    assertFalse(rules.beats(0.60, 0.60));
    assertFalse(rules.beats(0.50, 0.60));
  }

  @Test
  void withNoMarginATieIsNotProgress() {
    StopRules exact = new StopRules(0.9, 3, 10, 0, null);
    assertFalse(exact.beats(0.6, 0.6));
    assertTrue(exact.beats(0.6000001, 0.6));
  }

  @Test
  void theThresholdComesBeforePatienceAndIterations() {
    assertEquals(Optional.of(StopRules.THRESHOLD), rules.afterDecision(10, 0.9, 3));
    assertEquals(Optional.of(StopRules.PATIENCE), rules.afterDecision(10, 0.5, 3));
    assertEquals(Optional.of(StopRules.MAX_ITERATIONS), rules.afterDecision(10, 0.5, 2));
    assertEquals(Optional.empty(), rules.afterDecision(9, 0.89, 2));
  }

  @Test
  void theBudgetIsSpentOnceReached() {
    assertFalse(rules.budgetSpent(new BigDecimal("0.499999999999")));
    assertTrue(rules.budgetSpent(new BigDecimal("0.5")));
    assertFalse(new StopRules(0.9, 3, 10, 0, null).budgetSpent(new BigDecimal("1000")));
  }

  @Test
  void eachStopReasonHasItsStatus() {
    assertEquals("succeeded", StopRules.statusOf(StopRules.THRESHOLD));
    assertEquals("stopped", StopRules.statusOf(StopRules.PATIENCE));
    assertEquals("stopped", StopRules.statusOf(StopRules.MAX_ITERATIONS));
    assertEquals("stopped", StopRules.statusOf(StopRules.BUDGET));
    assertEquals("cancelled", StopRules.statusOf(StopRules.CANCELLED));
    assertEquals("failed", StopRules.statusOf(StopRules.ERROR));
  }
}
