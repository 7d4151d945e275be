package dev.promptlab.optimizer.study;

import dev.promptlab.contract.GenerationParameters;

/**
 * A reward model's rating of a rendered variant no trainer rated (a best-of-N candidate left unshown or screened
 * out): where it was rendered, the predicted rating with its standard deviation, and the prompt version it was
 * rendered with (null when unknown).
 */
public record PredictedSample(GenerationParameters parameters, double predictedRating, double uncertainty,
                              String promptVersion) {

  public PredictedSample {
    if (parameters == null) {
      throw new IllegalArgumentException("a predicted sample needs its parameters");
    }
    if (!(predictedRating >= 1 && predictedRating <= 5)) {
      throw new IllegalArgumentException("a predicted rating must be in [1, 5], got " + predictedRating);
    }
    if (!(uncertainty >= 0) || !Double.isFinite(uncertainty)) {
      throw new IllegalArgumentException("an uncertainty must be finite and >= 0, got " + uncertainty);
    }
  }
}
