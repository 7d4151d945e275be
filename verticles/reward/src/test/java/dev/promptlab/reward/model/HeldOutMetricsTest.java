package dev.promptlab.reward.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeldOutMetricsTest {

  @Test
  void figuresMatchAHandComputation() {
    // Experiments 1 and 2 have two variants each; experiment 3 one (no pair).
    List<RatedVariant> rows = List.of(row(1, 4), row(1, 2), row(2, 3), row(2, 3), row(3, 5));
    double[] predicted = {3.8, 2.9, 3.0, 3.4, 4.0};
    HeldOutMetrics m = HeldOutMetrics.of(rows, predicted, 3.0);
    assertEquals(5, m.count());
    assertEquals((0.2 + 0.9 + 0.0 + 0.4 + 1.0) / 5, m.mae(), 1e-12);
    assertEquals(3 / 5.0, m.withinHalf(), 1e-12);
    // Only experiment 1 was rated differently, and the order is right.
    assertEquals(1, m.pairs());
    assertEquals(1.0, m.pairwiseAccuracy(), 1e-12);
    assertEquals((1 + 1 + 0 + 0 + 2) / 5.0, m.baselineMae(), 1e-12);
    assertEquals(2 / 5.0, m.baselineWithinHalf(), 1e-12);
  }

  @Test
  void calibrationGroupsRowsByPredictionInHalfStarBins() {
    List<RatedVariant> rows = List.of(row(1, 4), row(1, 2), row(2, 3), row(2, 3), row(3, 5), row(4, 1));
    // 3.8 and 3.6 share [3.5, 4); 2.9 is in [2.5, 3); 3.0 in [3, 3.5); 5.3 beyond the scale falls in the last
    // bin and 0.4 below it in the first.
    double[] predicted = {3.8, 2.9, 3.0, 3.6, 5.3, 0.4};
    List<HeldOutMetrics.Bin> bins = HeldOutMetrics.of(rows, predicted, 3.0).calibration();
    assertEquals(List.of(new HeldOutMetrics.Bin(1.0, 1.5, 1, 0.4, 1), new HeldOutMetrics.Bin(2.5, 3.0, 1, 2.9, 2),
      new HeldOutMetrics.Bin(3.0, 3.5, 1, 3.0, 3)), bins.subList(0, 3));
    HeldOutMetrics.Bin shared = bins.get(3);
    assertEquals(3.5, shared.from());
    assertEquals(2, shared.count());
    assertEquals(3.7, shared.meanPredicted(), 1e-12);
    assertEquals(3.5, shared.meanObserved(), 1e-12);
    assertEquals(new HeldOutMetrics.Bin(4.5, 5.0, 1, 5.3, 5), bins.get(4));
    assertEquals(5, bins.size());
  }

  @Test
  void aTieInThePredictionsCountsHalfAPair() {
    List<RatedVariant> rows = List.of(row(1, 4), row(1, 2), row(2, 1), row(2, 5));
    HeldOutMetrics m = HeldOutMetrics.of(rows, new double[] {3, 3, 4, 2}, 3.0);
    assertEquals(2, m.pairs());
    assertEquals(0.25, m.pairwiseAccuracy(), 1e-12);
  }

  @Test
  void spearmanUsesAverageRanksForTies() {
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, HeldOutMetrics.ranks(new double[] {1, 2, 2, 3}), 1e-12);
    assertEquals(1.0, HeldOutMetrics.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 400}), 1e-12);
    assertEquals(-1.0, HeldOutMetrics.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
    assertTrue(Double.isNaN(HeldOutMetrics.spearman(new double[] {1, 2, 3}, new double[] {2, 2, 2})));
  }

  static RatedVariant row(long experiment, double rating) {
    return RewardTrainerTest.variant(experiment * 10 + (long) rating, experiment, new double[] {0}, "local",
      rating);
  }
}
