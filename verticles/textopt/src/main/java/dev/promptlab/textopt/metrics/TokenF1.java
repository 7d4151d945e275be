package dev.promptlab.textopt.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQuAD v1.1 token F1: the harmonic mean of precision and recall of the normalised tokens
 * ({@link SquadNormalization}), each token counted as often as it occurs in both texts.
 *
 * <p>As in the v1.1 script, no common token means 0, even when both texts normalise to nothing (the v2.0 script
 * scores that case 1; v1.1 is what the platform's reference values come from).
 */
public final class TokenF1 implements Metric {

  public static final String NAME = "f1";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    List<String> predicted = SquadNormalization.tokens(prediction);
    List<String> expected = SquadNormalization.tokens(reference);
    Map<String, Integer> available = new HashMap<>();
    for (String token : expected) {
      available.merge(token, 1, Integer::sum);
    }
    int common = 0;
    for (String token : predicted) {
      Integer left = available.get(token);
      if (left != null && left > 0) {
        available.put(token, left - 1);
        common++;
      }
    }
    if (common == 0) {
      return Score.of(0.0);
    }
    double precision = (double) common / predicted.size();
    double recall = (double) common / expected.size();
    return Score.of(2 * precision * recall / (precision + recall));
  }
}
