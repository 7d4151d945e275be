package dev.promptlab.reward.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well predictions match held-out ratings: mean absolute error, the share within half a star, Spearman's rank
 * correlation, and pairwise accuracy — over the two variants of each comparison that a trainer rated differently,
 * the share whose order the predictions get right (a tie in the predictions counts half). Also the same figures
 * for the baseline that predicts the training mean, which a model must beat before it is used; and the
 * calibration: the held-out rows grouped by their prediction into half-star bins, each bin's mean prediction beside
 * the mean rating its rows really got.
 */
public record HeldOutMetrics(int count, double mae, double withinHalf, double spearman, int pairs,
                             double pairwiseAccuracy, double baselineMae, double baselineWithinHalf,
                             List<Bin> calibration) {

  /** Width of a calibration bin, in stars. */
  public static final double BIN_WIDTH = 0.5;

  /**
   * The held-out rows predicted in {@code [from, to)} (a prediction outside 1–5 counts in the end bin; the last bin
   * includes 5); only bins with rows are listed, in order.
   */
  public record Bin(double from, double to, int count, double meanPredicted, double meanObserved) {
  }

  public HeldOutMetrics {
    calibration = List.copyOf(calibration);
  }

  /** {@code predicted[i]} for {@code rows.get(i)}; {@code trainingMean} is the baseline's constant answer. */
  public static HeldOutMetrics of(List<RatedVariant> rows, double[] predicted, double trainingMean) {
    int n = rows.size();
    if (n == 0 || predicted.length != n) {
      throw new IllegalArgumentException("need one prediction per held-out row");
    }
    double[] actual = rows.stream().mapToDouble(RatedVariant::rating).toArray();
    double absolute = 0;
    int within = 0;
    double baselineAbsolute = 0;
    int baselineWithin = 0;
    for (int i = 0; i < n; i++) {
      double error = Math.abs(predicted[i] - actual[i]);
      absolute += error;
      within += error <= 0.5 ? 1 : 0;
      double baselineError = Math.abs(trainingMean - actual[i]);
      baselineAbsolute += baselineError;
      baselineWithin += baselineError <= 0.5 ? 1 : 0;
    }
    Map<Long, List<Integer>> byExperiment = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byExperiment.computeIfAbsent(rows.get(i).experimentId(), id -> new ArrayList<>()).add(i);
    }
    int pairs = 0;
    double right = 0;
    for (List<Integer> members : byExperiment.values()) {
      for (int a = 0; a < members.size(); a++) {
        for (int b = a + 1; b < members.size(); b++) {
          int i = members.get(a);
          int j = members.get(b);
          if (actual[i] == actual[j]) {
            continue;
          }
          pairs++;
          double predictedOrder = Math.signum(predicted[i] - predicted[j]);
          right += predictedOrder == 0 ? 0.5 : predictedOrder == Math.signum(actual[i] - actual[j]) ? 1 : 0;
        }
      }
    }
    return new HeldOutMetrics(n, absolute / n, within / (double) n, spearman(predicted, actual), pairs,
      pairs == 0 ? Double.NaN : right / pairs, baselineAbsolute / n, baselineWithin / (double) n,
      calibration(predicted, actual));
  }

  static List<Bin> calibration(double[] predicted, double[] actual) {
    int bins = (int) Math.round(4 / BIN_WIDTH);
    int[] counts = new int[bins];
    double[] predictedSums = new double[bins];
    double[] observedSums = new double[bins];
    for (int i = 0; i < predicted.length; i++) {
      int bin = Math.max(0, Math.min(bins - 1, (int) Math.floor((predicted[i] - 1) / BIN_WIDTH)));
      counts[bin]++;
      predictedSums[bin] += predicted[i];
      observedSums[bin] += actual[i];
    }
    List<Bin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (counts[b] > 0) {
        out.add(new Bin(1 + b * BIN_WIDTH, 1 + (b + 1) * BIN_WIDTH, counts[b], predictedSums[b] / counts[b],
          observedSums[b] / counts[b]));
      }
    }
    return out;
  }

  /** Spearman's rho: Pearson's correlation of the ranks, ties given their average rank; NaN when one side is flat. */
  static double spearman(double[] a, double[] b) {
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double meanA = Arrays.stream(ra).average().orElse(0);
    double meanB = Arrays.stream(rb).average().orElse(0);
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (ra[i] - meanA) * (rb[i] - meanB);
      varA += (ra[i] - meanA) * (ra[i] - meanA);
      varB += (rb[i] - meanB) * (rb[i] - meanB);
    }
    return varA == 0 || varB == 0 ? Double.NaN : cov / Math.sqrt(varA * varB);
  }

  static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] ranks = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = rank;
      }
      i = j + 1;
    }
    return ranks;
  }
}
