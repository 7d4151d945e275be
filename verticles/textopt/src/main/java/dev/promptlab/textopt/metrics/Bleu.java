package dev.promptlab.textopt.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BLEU as sacreBLEU 2.x computes it: word n-grams up to 4, clipped counts (the maximum over references when there
 * are several), the brevity penalty against the closest reference length, {@code 13a} tokenisation and
 * {@code exp} smoothing by default.
 *
 * <p>The set's score ({@link #corpusScore}) is sacreBLEU's {@code corpus_bleu}: statistics summed over all rows,
 * then one BLEU. A row's score ({@link #score}) is {@code sentence_bleu}, which also uses the effective order (only
 * the n-gram orders the hypothesis has). Both are sacreBLEU's 0–100 figures divided by 100.
 */
public final class Bleu implements CorpusMetric {

  public static final String NAME = "bleu";
  static final int MAX_ORDER = 4;
  /** sacreBLEU's floor for log(0), so a zero precision drives the score to 0 instead of failing. */
  private static final double LOG_OF_ZERO = -9_999_999_999.0;

  /** How a text becomes words. */
  public enum Tokenization {
    /** sacreBLEU's default, {@code 13a}. */
    THIRTEEN_A,
    /** The text as given, split on whitespace ({@code tokenize='none'}). */
    NONE
  }

  /** What replaces a zero n-gram precision. */
  public enum SmoothingMethod {
    /** No smoothing: a zero precision makes the score 0. */
    NONE,
    /** NIST smoothing, sacreBLEU's default: the k-th zero precision becomes 1 / (2^k · total). */
    EXP,
    /** A zero precision becomes value / total (default value 0.1). */
    FLOOR,
    /** value is added to the counts and totals of every order above 1 (default value 1). */
    ADD_K
  }

  /**
   * A smoothing method and its value.
   *
   * @param value used by {@code FLOOR} and {@code ADD_K} only
   */
  public record Smoothing(SmoothingMethod method, double value) {

    public Smoothing {
      Objects.requireNonNull(method, "method");
      if (!(value >= 0.0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("a smoothing value is finite and not negative, got " + value);
      }
    }

    public static Smoothing exp() {
      return new Smoothing(SmoothingMethod.EXP, 0.0);
    }

    public static Smoothing none() {
      return new Smoothing(SmoothingMethod.NONE, 0.0);
    }

    public static Smoothing floor(double value) {
      return new Smoothing(SmoothingMethod.FLOOR, value);
    }

    public static Smoothing addK(double value) {
      return new Smoothing(SmoothingMethod.ADD_K, value);
    }
  }

  private final Tokenization tokenization;
  private final Smoothing smoothing;

  public Bleu(Tokenization tokenization, Smoothing smoothing) {
    this.tokenization = Objects.requireNonNull(tokenization, "tokenization");
    this.smoothing = Objects.requireNonNull(smoothing, "smoothing");
  }

  /** sacreBLEU's defaults: {@code 13a} tokenisation, {@code exp} smoothing. */
  public static Bleu sacreBleuDefaults() {
    return new Bleu(Tokenization.THIRTEEN_A, Smoothing.exp());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    return Score.of(unit(compute(statistics(prediction, List.of(reference)), true)));
  }

  @Override
  public double corpusScore(List<MetricRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("BLEU needs at least one row");
    }
    BleuStatistics total = BleuStatistics.empty();
    for (MetricRow row : rows) {
      total = total.plus(statistics(row.prediction(), List.of(row.reference())));
    }
    return unit(compute(total, false));
  }

  /**
   * sacreBLEU's {@code corpus_bleu(hypotheses, referenceStreams)} divided by 100: several references per hypothesis,
   * each stream holding one reference for every hypothesis.
   */
  public double corpusScore(List<String> hypotheses, List<List<String>> referenceStreams) {
    if (hypotheses.isEmpty() || referenceStreams.isEmpty()) {
      throw new IllegalArgumentException("BLEU needs at least one hypothesis and one reference stream");
    }
    for (List<String> stream : referenceStreams) {
      if (stream.size() != hypotheses.size()) {
        throw new IllegalArgumentException("a reference stream has " + stream.size() + " references for "
          + hypotheses.size() + " hypotheses");
      }
    }
    BleuStatistics total = BleuStatistics.empty();
    for (int i = 0; i < hypotheses.size(); i++) {
      int row = i;
      total = total.plus(statistics(hypotheses.get(i), referenceStreams.stream().map(s -> s.get(row)).toList()));
    }
    return unit(compute(total, false));
  }

  /** One hypothesis's matches against its references. */
  BleuStatistics statistics(String hypothesis, List<String> references) {
    Objects.requireNonNull(hypothesis, "prediction");
    List<Map<String, Integer>> maxReferenceCounts = new ArrayList<>();
    for (int n = 0; n < MAX_ORDER; n++) {
      maxReferenceCounts.add(new HashMap<>());
    }
    int[] referenceLengths = new int[references.size()];
    for (int r = 0; r < references.size(); r++) {
      List<String> tokens = tokens(Objects.requireNonNull(references.get(r), "reference"));
      referenceLengths[r] = tokens.size();
      List<Map<String, Integer>> counts = ngramCounts(tokens);
      for (int n = 0; n < MAX_ORDER; n++) {
        Map<String, Integer> max = maxReferenceCounts.get(n);
        counts.get(n).forEach((ngram, count) -> max.merge(ngram, count, Math::max));
      }
    }
    List<String> tokens = tokens(hypothesis);
    List<Map<String, Integer>> counts = ngramCounts(tokens);
    int[] correct = new int[MAX_ORDER];
    int[] total = new int[MAX_ORDER];
    for (int n = 0; n < MAX_ORDER; n++) {
      Map<String, Integer> available = maxReferenceCounts.get(n);
      for (Map.Entry<String, Integer> e : counts.get(n).entrySet()) {
        total[n] += e.getValue();
        correct[n] += Math.min(e.getValue(), available.getOrDefault(e.getKey(), 0));
      }
    }
    return new BleuStatistics(tokens.size(), closestLength(tokens.size(), referenceLengths), correct, total);
  }

  /**
   * BLEU on the 0–100 scale from summed statistics ({@code BLEU.compute_bleu}).
   *
   * @param effectiveOrder average only over the orders the hypotheses have n-grams of (sentence level)
   */
  double compute(BleuStatistics stats, boolean effectiveOrder) {
    double brevityPenalty;
    if (stats.hypothesisLength() < stats.referenceLength()) {
      brevityPenalty = stats.hypothesisLength() > 0
        ? Math.exp(1.0 - (double) stats.referenceLength() / stats.hypothesisLength()) : 0.0;
    } else {
      brevityPenalty = 1.0;
    }
    boolean anyMatch = false;
    for (int c : stats.correct()) {
      anyMatch |= c > 0;
    }
    if (!anyMatch) {
      return 0.0;
    }
    double[] precisions = new double[MAX_ORDER];
    double smoothMteval = 1.0;
    int order = MAX_ORDER;
    for (int n = 1; n <= MAX_ORDER; n++) {
      double correct = stats.correct()[n - 1];
      double total = stats.total()[n - 1];
      if (smoothing.method() == SmoothingMethod.ADD_K && n > 1) {
        correct += smoothing.value();
        total += smoothing.value();
      }
      if (total == 0) {
        break;
      }
      if (effectiveOrder) {
        order = n;
      }
      if (correct == 0) {
        if (smoothing.method() == SmoothingMethod.EXP) {
          smoothMteval *= 2;
          precisions[n - 1] = 100.0 / (smoothMteval * total);
        } else if (smoothing.method() == SmoothingMethod.FLOOR) {
          precisions[n - 1] = 100.0 * smoothing.value() / total;
        }
      } else {
        precisions[n - 1] = 100.0 * correct / total;
      }
    }
    double logSum = 0.0;
    for (int n = 0; n < order; n++) {
      logSum += precisions[n] == 0.0 ? LOG_OF_ZERO : Math.log(precisions[n]);
    }
    return brevityPenalty * Math.exp(logSum / order);
  }

  private List<String> tokens(String text) {
    // As sacreBLEU: trailing whitespace goes first, so a final "-\n" is a dash, not a line-break hyphen to join.
    String stripped = PythonText.rstrip(text);
    return tokenization == Tokenization.THIRTEEN_A ? Tokenizer13a.tokenize(stripped) : PythonText.split(stripped);
  }

  /**
   * The counts of every n-gram, one map per order (index 0 is unigrams); an n-gram is its tokens joined by single
   * spaces, unambiguous since tokens never contain whitespace.
   */
  private static List<Map<String, Integer>> ngramCounts(List<String> tokens) {
    List<Map<String, Integer>> counts = new ArrayList<>(MAX_ORDER);
    for (int n = 1; n <= MAX_ORDER; n++) {
      Map<String, Integer> ofOrder = new HashMap<>();
      for (int i = 0; i + n <= tokens.size(); i++) {
        ofOrder.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
      }
      counts.add(ofOrder);
    }
    return counts;
  }

  /** The reference length closest to the hypothesis length; the shorter one on a tie. */
  private static int closestLength(int hypothesisLength, int[] referenceLengths) {
    int closest = -1;
    int closestDiff = -1;
    for (int length : referenceLengths) {
      int diff = Math.abs(hypothesisLength - length);
      if (closestDiff == -1 || diff < closestDiff || (diff == closestDiff && length < closest)) {
        closestDiff = diff;
        closest = length;
      }
    }
    return closest;
  }

  /** sacreBLEU's 0–100 to [0, 1]; a perfect match can come out a rounding error above 100. */
  private static double unit(double sacreBleuScore) {
    return Math.min(1.0, sacreBleuScore / 100.0);
  }
}
