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
 * @param overtakenWithin a prediction within this unit-cube distance of a rated setting (same API) is not learnt
 */
public record PredictionWeighting(double noiseFactor, int maxObservations, double overtakenWithin) {

  /** Weighting with the default radius of a rated setting. */
  public PredictionWeighting(double noiseFactor, int maxObservations) {
    this(noiseFactor, maxObservations, 0.05);
  }

  public PredictionWeighting {
    if (!(noiseFactor >= 1) || !Double.isFinite(noiseFactor)) {
      throw new IllegalArgumentException("predicted_noise_factor must be a finite number >= 1");
    }
    if (maxObservations < 0) {
      throw new IllegalArgumentException("max_predicted must not be negative");
    }
    if (!(overtakenWithin >= 0) || !Double.isFinite(overtakenWithin)) {
      throw new IllegalArgumentException("predicted_overtaken_within must be a finite distance >= 0");
    }
  }

  /** The module defaults. */
  public static PredictionWeighting defaults() {
    return new PredictionWeighting(4.0, 64, 0.05);
  }
}
