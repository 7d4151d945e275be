package dev.promptlab.reward.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    Verdict heldOut = rule.refusal(metrics(29, 25, 0.5, 0.8, 0.9)).orElseThrow();
    assertEquals(new Verdict("too_few_held_out", 29, 30, "collecting data: 29 held-out ratings of the 30 needed"),
      heldOut);
    Verdict pairs = rule.refusal(metrics(40, 19, 0.5, 0.8, 0.9)).orElseThrow();
    assertEquals("too_few_pairs", pairs.code());
    assertTrue(pairs.text().contains("19 held-out pairs"), pairs.text());
    assertEquals(20, pairs.need());
    // 0.73 > 0.9 x 0.80 = 0.72: not 10 % better than the baseline.
    Verdict mae = rule.refusal(metrics(40, 25, 0.73, 0.80, 0.9)).orElseThrow();
    assertEquals("mae_not_better", mae.code());
    assertEquals(0.73, mae.have());
    assertEquals(0.72, mae.need(), 1e-12);
    assertTrue(mae.text().contains("not better than the mean"), mae.text());
    Verdict chance = rule.refusal(metrics(40, 25, 0.5, 0.8, 0.59)).orElseThrow();
    assertEquals("pairs_not_better", chance.code());
    assertEquals(0.6, chance.need(), 1e-12);
    assertTrue(chance.text().contains("chance"), chance.text());
  }

  @Test
  void marginsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ActivationRule(30, 20, 1.0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new ActivationRule(30, 20, 0.1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new ActivationRule(0, 20, 0.1, 0.1));
  }

  private static HeldOutMetrics metrics(int count, int pairs, double mae, double baselineMae, double pairwise) {
    return new HeldOutMetrics(count, mae, 0.5, 0.5, pairs, pairwise, baselineMae, 0.3, List.of());
  }
}
