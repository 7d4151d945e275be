package dev.promptlab.optimizer.model;

import java.util.Arrays;

/**
 * A value at a point that was predicted rather than measured (a reward model's rating of a rendered variant no one
 * rated), with the prediction's own variance. The model learns it as a measurement with more noise
 * ({@link Surrogate#fit(double[][], double[], java.util.List, double, HyperparameterFitter, KernelHyperparameters,
 * java.util.random.RandomGenerator)}), so it shapes the posterior where nothing was measured and gives way wherever
 * something was.
 *
 * @param encoded  the point, encoded (unit cube)
 * @param value    the predicted value, in the units of the measurements
 * @param variance the prediction's variance, in those units squared ({@code >= 0})
 */
public record PredictedObservation(double[] encoded, double value, double variance) {

  public PredictedObservation {
    if (!Double.isFinite(value) || !(variance >= 0) || !Double.isFinite(variance)) {
      throw new IllegalArgumentException("a predicted observation needs a finite value and a finite variance >= 0");
    }
    encoded = encoded.clone();
  }

  @Override
  public double[] encoded() {
    return encoded.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PredictedObservation p && Arrays.equals(encoded, p.encoded)
      && Double.compare(value, p.value) == 0 && Double.compare(variance, p.variance) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded) * 31 + Double.hashCode(value) * 17 + Double.hashCode(variance);
  }
}
