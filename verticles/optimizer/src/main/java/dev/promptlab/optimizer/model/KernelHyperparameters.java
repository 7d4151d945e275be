package dev.promptlab.optimizer.model;

import java.util.Arrays;

/**
 * Hyperparameters of the Matérn-5/2 ARD kernel plus Gaussian noise, on the log scale the fitter
 * optimises: {@code theta = [log l_1 .. log l_D, log signalVariance, log noiseVariance]}. Inputs are in
 * the unit cube and outputs standardised, so the same bounds suit every study.
 */
public record KernelHyperparameters(double[] theta) {

  public KernelHyperparameters {
    theta = theta.clone();
    if (theta.length < 3) {
      throw new IllegalArgumentException("theta needs at least one lengthscale, the signal and the noise variance");
    }
    for (double t : theta) {
      if (!Double.isFinite(t)) {
        throw new IllegalArgumentException("theta must be finite: " + Arrays.toString(theta));
      }
    }
  }

  /** Number of input columns (lengthscales). */
  public int inputs() {
    return theta.length - 2;
  }

  @Override
  public double[] theta() {
    return theta.clone();
  }

  public double lengthscale(int column) {
    return Math.exp(theta[column]);
  }

  public double signalVariance() {
    return Math.exp(theta[theta.length - 2]);
  }

  public double noiseVariance() {
    return Math.exp(theta[theta.length - 1]);
  }

  /** The starting point used when nothing better is known: moderate lengthscales, unit signal, little noise. */
  public static KernelHyperparameters defaults(int inputs) {
    double[] t = new double[inputs + 2];
    Arrays.fill(t, 0, inputs, Math.log(0.3));
    t[inputs] = 0.0;
    t[inputs + 1] = Math.log(1e-2);
    return new KernelHyperparameters(t);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KernelHyperparameters h && Arrays.equals(theta, h.theta);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(theta);
  }

  @Override
  public String toString() {
    return "KernelHyperparameters" + Arrays.toString(theta);
  }
}
