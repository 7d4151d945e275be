package dev.promptlab.textopt.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * chrF as sacreBLEU 2.x computes it: the F-score (recall weighted by beta, 2 by default) of character n-grams of
 * orders 1 to 6, whitespace removed, precision and recall averaged over the orders both texts have n-grams of.
 *
 * <p>The set's score pools the n-gram counts of all rows ({@code corpus_chrf}); a row's score is
 * {@code sentence_chrf}. Both are sacreBLEU's 0–100 figure divided by 100. Characters are Unicode code points, as
 * in Python, so an emoji is one character.
 */
public final class Chrf implements CorpusMetric {

  public static final String NAME = "chrf";
  private static final double EPSILON = 1e-16;

  private final int charOrder;
  private final double beta;
  private final boolean keepWhitespace;
  private final boolean epsilonSmoothing;

  /**
   * @param charOrder the longest character n-gram (sacreBLEU: 6)
   * @param beta how much more recall weighs than precision (sacreBLEU: 2)
   * @param keepWhitespace count spaces as characters (sacreBLEU: no)
   * @param epsilonSmoothing average the per-order F-scores with a tiny value for orders a text is too short for, as
   *     chrF++.py does, instead of averaging precision and recall over the orders present (sacreBLEU: no)
   */
  public Chrf(int charOrder, double beta, boolean keepWhitespace, boolean epsilonSmoothing) {
    if (charOrder < 1) {
      throw new IllegalArgumentException("the character order is at least 1, got " + charOrder);
    }
    if (!(beta > 0.0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta is a positive number, got " + beta);
    }
    this.charOrder = charOrder;
    this.beta = beta;
    this.keepWhitespace = keepWhitespace;
    this.epsilonSmoothing = epsilonSmoothing;
  }

  /** sacreBLEU's defaults: chrF2, character 6-grams, whitespace removed, no epsilon smoothing. */
  public static Chrf sacreBleuDefaults() {
    return new Chrf(6, 2.0, false, false);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    return Score.of(unit(fScore(statistics(prediction, reference))));
  }

  @Override
  public double corpusScore(List<MetricRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("chrF needs at least one row");
    }
    long[] total = new long[3 * charOrder];
    for (MetricRow row : rows) {
      long[] stats = statistics(row.prediction(), row.reference());
      for (int i = 0; i < total.length; i++) {
        total[i] += stats[i];
      }
    }
    return unit(fScore(total));
  }

  /** Per order n (from 1): hypothesis n-grams, reference n-grams, matching n-grams, at index 3(n-1). */
  long[] statistics(String hypothesis, String reference) {
    Objects.requireNonNull(hypothesis, "prediction");
    Objects.requireNonNull(reference, "reference");
    List<Map<String, Integer>> hypothesisNgrams = ngrams(hypothesis);
    List<Map<String, Integer>> referenceNgrams = ngrams(reference);
    long[] stats = new long[3 * charOrder];
    for (int n = 0; n < charOrder; n++) {
      Map<String, Integer> ofReference = referenceNgrams.get(n);
      long hypothesisCount = 0;
      long matches = 0;
      for (Map.Entry<String, Integer> e : hypothesisNgrams.get(n).entrySet()) {
        hypothesisCount += e.getValue();
        matches += Math.min(e.getValue(), ofReference.getOrDefault(e.getKey(), 0));
      }
      // As sacreBLEU: a hypothesis's n-grams are not counted when the reference has none of that order.
      stats[3 * n] = ofReference.isEmpty() ? 0 : hypothesisCount;
      stats[3 * n + 1] = ofReference.values().stream().mapToLong(Integer::longValue).sum();
      stats[3 * n + 2] = matches;
    }
    return stats;
  }

  /** The F-score on sacreBLEU's 0–100 scale. */
  private double fScore(long[] stats) {
    double factor = beta * beta;
    double epsilonScore = 0.0;
    double precisionSum = 0.0;
    double recallSum = 0.0;
    int effectiveOrder = 0;
    for (int n = 0; n < charOrder; n++) {
      long hypothesisCount = stats[3 * n];
      long referenceCount = stats[3 * n + 1];
      long matches = stats[3 * n + 2];
      double precision = hypothesisCount > 0 ? (double) matches / hypothesisCount : EPSILON;
      double recall = referenceCount > 0 ? (double) matches / referenceCount : EPSILON;
      double denominator = factor * precision + recall;
      epsilonScore += denominator > 0 ? (1 + factor) * precision * recall / denominator : EPSILON;
      if (hypothesisCount > 0 && referenceCount > 0) {
        precisionSum += precision;
        recallSum += recall;
        effectiveOrder++;
      }
    }
    if (epsilonSmoothing) {
      return 100 * epsilonScore / charOrder;
    }
    if (effectiveOrder == 0) {
      return 0.0;
    }
    double precision = precisionSum / effectiveOrder;
    double recall = recallSum / effectiveOrder;
    if (precision + recall == 0) {
      return 0.0;
    }
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
  }

  /** Counts of the character n-grams of orders 1 to charOrder, one map per order; characters are code points. */
  private List<Map<String, Integer>> ngrams(String text) {
    int[] chars = (keepWhitespace ? text : PythonText.removeSpaces(text)).codePoints().toArray();
    List<Map<String, Integer>> counts = new ArrayList<>(charOrder);
    for (int n = 1; n <= charOrder; n++) {
      Map<String, Integer> ofOrder = new HashMap<>();
      for (int i = 0; i + n <= chars.length; i++) {
        ofOrder.merge(new String(chars, i, n), 1, Integer::sum);
      }
      counts.add(ofOrder);
    }
    return counts;
  }

  private static double unit(double sacreBleuScore) {
    return Math.min(1.0, sacreBleuScore / 100.0);
  }
}
