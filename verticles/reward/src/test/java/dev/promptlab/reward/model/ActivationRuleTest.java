package dev.promptlab.reward.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivationRuleTest {

  private final ActivationRule rule = new ActivationRule(30, 20, 0.10, 0.10);

  @Test
  void aModelClearlyBetterThanTheMeanAndChanceIsUsed() {
    assertEquals(Optional.empty(), rule.refusal(metrics(40, 25, 0.60, 0.70, 0.80)));
  }

  @Test
  void eachMissingConditionIsNamed() {
    assertTrue(rule.refusal(metrics(29, 25, 0.5, 0.8, 0.9)).orElseThrow().contains("29 held-out ratings"));
    assertTrue(rule.refusal(metrics(40, 19, 0.5, 0.8, 0.9)).orElseThrow().contains("19 held-out pairs"));
    // 0.73 > 0.9 x 0.80 = 0.72: not 10 % better than the baseline.
    assertTrue(rule.refusal(metrics(40, 25, 0.73, 0.80, 0.9)).orElseThrow().contains("not better than the mean"));
    assertTrue(rule.refusal(metrics(40, 25, 0.5, 0.8, 0.59)).orElseThrow().contains("chance"));
  }

  @Test
  void marginsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ActivationRule(30, 20, 1.0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new ActivationRule(30, 20, 0.1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new ActivationRule(0, 20, 0.1, 0.1));
  }

  private static HeldOutMetrics metrics(int count, int pairs, double mae, double baselineMae, double pairwise) {
    return new HeldOutMetrics(count, mae, 0.5, 0.5, pairs, pairwise, baselineMae, 0.3);
  }
}
