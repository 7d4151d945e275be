package dev.promptlab.optimizer.study;

/**
 * How a study weighs predicted ratings against real ones (see the module README, "Predicted ratings as
 * observations").
 *
 * @param noiseFactor     a prediction's noise variance is this many times the model's fitted rating noise plus the
 *                        prediction's own variance, so even a sure prediction weighs at most {@code 1 / noiseFactor}
 *                        of a rating ({@code >= 1})
 * @param maxObservations at most this many predictions, the newest, are learnt (each costs like a rating in the
 *                        model's fit)
 */
public record PredictionWeighting(double noiseFactor, int maxObservations) {

  public PredictionWeighting {
    if (!(noiseFactor >= 1) || !Double.isFinite(noiseFactor)) {
      throw new IllegalArgumentException("predicted_noise_factor must be a finite number >= 1");
    }
    if (maxObservations < 0) {
      throw new IllegalArgumentException("max_predicted must not be negative");
    }
  }

  /** The module defaults. */
  public static PredictionWeighting defaults() {
    return new PredictionWeighting(4.0, 64);
  }
}
