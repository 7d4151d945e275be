package dev.promptlab.textopt.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ROUGE-L as Google's {@code rouge-score} package computes it (no stemming): the F-measure of the longest common
 * subsequence of tokens, precision over the prediction's tokens and recall over the reference's.
 *
 * <p>Its default tokenizer is kept exactly: lower-case, every run of characters other than ASCII letters and
 * digits becomes a space. Letters outside ASCII are therefore separators ("déjà" is the tokens "d" and "j"), and a
 * text in a non-Latin script has no tokens and scores 0; that is what published ROUGE figures mean.
 *
 * <p>Cost: time proportional to the product of the two token counts, memory to the shorter one.
 */
public final class RougeL implements Metric {

  public static final String NAME = "rouge_l";
  private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

  /** Precision, recall and F-measure of one pair, as {@code rouge_scorer.score} reports them. */
  record Components(double precision, double recall, double fmeasure) {
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    return Score.of(components(prediction, reference).fmeasure());
  }

  Components components(String prediction, String reference) {
    List<String> predicted = tokens(prediction);
    List<String> expected = tokens(reference);
    if (predicted.isEmpty() || expected.isEmpty()) {
      return new Components(0, 0, 0);
    }
    int lcs = longestCommonSubsequence(expected, predicted);
    double precision = (double) lcs / predicted.size();
    double recall = (double) lcs / expected.size();
    double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    return new Components(precision, recall, f);
  }

  static List<String> tokens(String text) {
    String spaced = NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
    List<String> tokens = new ArrayList<>();
    for (String token : spaced.split(" ")) {
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    return tokens;
  }

  /** Length of the longest common subsequence, two rows of the dynamic-programming table at a time. */
  private static int longestCommonSubsequence(List<String> a, List<String> b) {
    // Tokens become small integers so the inner loop compares ints, not strings.
    Map<String, Integer> ids = new HashMap<>();
    int[] x = a.stream().mapToInt(t -> ids.computeIfAbsent(t, k -> ids.size())).toArray();
    int[] y = b.stream().mapToInt(t -> ids.computeIfAbsent(t, k -> ids.size())).toArray();
    if (y.length > x.length) {
      int[] swap = x;
      x = y;
      y = swap;
    }
    int[] previous = new int[y.length + 1];
    int[] current = new int[y.length + 1];
    for (int i = 1; i <= x.length; i++) {
      for (int j = 1; j <= y.length; j++) {
        current[j] = x[i - 1] == y[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[y.length];
  }
}
