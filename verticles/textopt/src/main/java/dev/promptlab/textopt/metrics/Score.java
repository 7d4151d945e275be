package dev.promptlab.textopt.metrics;

import java.util.Objects;
import java.util.Optional;

/**
 * One row's score.
 *
 * @param value in [0, 1]
 * @param explanation why the answer fell short, when the metric can say more than the number (the optimizer
 *     model reads these next to the failures it is shown)
 */
public record Score(double value, Optional<String> explanation) {

  public Score {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException("a score lies in [0, 1], got " + value);
    }
    Objects.requireNonNull(explanation, "explanation");
  }

  /** A score with nothing more to say. */
  public static Score of(double value) {
    return new Score(value, Optional.empty());
  }

  /** A zero with its reason. */
  public static Score zero(String why) {
    return new Score(0.0, Optional.of(why));
  }
}
