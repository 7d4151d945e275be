package dev.promptlab.textopt.metrics;

/**
 * SQuAD v1.1 exact match: 1 when the prediction and the reference are equal after {@link SquadNormalization}
 * (case, ASCII punctuation, articles and extra whitespace ignored), else 0.
 */
public final class ExactMatch implements Metric {

  public static final String NAME = "exact_match";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    boolean equal = SquadNormalization.normalize(prediction).equals(SquadNormalization.normalize(reference));
    return Score.of(equal ? 1.0 : 0.0);
  }
}
