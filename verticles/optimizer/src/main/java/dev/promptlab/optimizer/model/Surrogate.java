package dev.promptlab.optimizer.model;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A Gaussian process fitted to observed values (maximisation: larger is better) on standardised outputs,
 * with the incumbent: the observed point of highest posterior mean. Using the posterior mean rather
 * than the highest raw value keeps one lucky noisy rating from becoming "the best".
 *
 * <p>Predicted observations, when given, join the process but nothing else: the standardisation, the
 * hyperparameters and the incumbent come from the measurements alone, so predictions can move the posterior
 * between measured points but never decide how smooth or noisy the ratings are, nor become "the best".
 */
public final class Surrogate {

  private final GaussianProcess process;
  private final HyperparameterFitter.Fit fit;
  private final double[][] inputs;
  private final double offset;
  private final double scale;
  private final double[] observedMeans;
  private final int incumbentIndex;
  private final double incumbentStandardMean;

  private Surrogate(GaussianProcess process, HyperparameterFitter.Fit fit, double[][] inputs, double offset,
                    double scale) {
    this.process = process;
    this.fit = fit;
    this.inputs = inputs;
    this.offset = offset;
    this.scale = scale;
    double[] means = process.predictMeans(inputs);
    this.observedMeans = means;
    int best = 0;
    for (int i = 1; i < means.length; i++) {
      if (means[i] > means[best]) {
        best = i;
      }
    }
    this.incumbentIndex = best;
    this.incumbentStandardMean = means[best];
  }

  /**
   * Standardises {@code values}, fits hyperparameters (warm-started from {@code warmStart} when given)
   * and conditions the process. Throws {@link ModelFailure} when no usable fit exists.
   */
  public static Surrogate fit(double[][] inputs, double[] values, HyperparameterFitter fitter,
                              KernelHyperparameters warmStart, RandomGenerator random) {
    return fit(inputs, values, List.of(), 1.0, fitter, warmStart, random);
  }

  /**
   * As {@link #fit(double[][], double[], HyperparameterFitter, KernelHyperparameters, RandomGenerator)}, then
   * conditions the process on {@code predicted} as well: each with noise variance
   * {@code noiseFactor x (the fitted noise variance) + (its own variance)}, standardised like the measurements. With
   * {@code noiseFactor >= 1} a prediction, however sure, weighs at most {@code 1 / noiseFactor} of a measurement.
   */
  public static Surrogate fit(double[][] inputs, double[] values, List<PredictedObservation> predicted,
                              double noiseFactor, HyperparameterFitter fitter, KernelHyperparameters warmStart,
                              RandomGenerator random) {
    return fit(inputs, values, predicted, noiseFactor, 0.0, fitter, warmStart, random);
  }

  /**
   * As {@link #fit(double[][], double[], List, double, HyperparameterFitter, KernelHyperparameters, RandomGenerator)},
   * with the fitted noise standard deviation kept at or above {@code noiseFloor} (in the units of {@code values};
   * 0 for none), see {@link HyperparameterFitter#withNoiseAtLeast}.
   */
  public static Surrogate fit(double[][] inputs, double[] values, List<PredictedObservation> predicted,
                              double noiseFactor, double noiseFloor, HyperparameterFitter fitter,
                              KernelHyperparameters warmStart, RandomGenerator random) {
    if (!(noiseFactor >= 1) || !Double.isFinite(noiseFactor)) {
      throw new IllegalArgumentException("the noise factor of predictions must be finite and >= 1");
    }
    int n = values.length;
    double mean = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new ModelFailure("an observed value is not finite");
      }
      mean += v;
    }
    mean /= n;
    double variance = 0;
    for (double v : values) {
      variance += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(variance / n);
    // All values equal: nothing to learn about shape yet; unit scale keeps the fit well posed.
    double scale = sd > 1e-12 ? sd : 1.0;
    double[] standard = new double[n];
    for (int i = 0; i < n; i++) {
      standard[i] = (values[i] - mean) / scale;
    }
    HyperparameterFitter used = noiseFloor > 0 ? fitter.withNoiseAtLeast(Math.pow(noiseFloor / scale, 2)) : fitter;
    HyperparameterFitter.Fit fit = used.fit(inputs, standard, warmStart, random);
    KernelHyperparameters h = fit.hyperparameters();
    int m = predicted.size();
    double[][] allInputs = new double[n + m][];
    double[] allOutputs = new double[n + m];
    double[] extraNoise = new double[n + m];
    System.arraycopy(inputs, 0, allInputs, 0, n);
    System.arraycopy(standard, 0, allOutputs, 0, n);
    for (int j = 0; j < m; j++) {
      PredictedObservation p = predicted.get(j);
      allInputs[n + j] = p.encoded();
      allOutputs[n + j] = (p.value() - mean) / scale;
      extraNoise[n + j] = (noiseFactor - 1) * h.noiseVariance() + p.variance() / (scale * scale);
    }
    GaussianProcess process = GaussianProcess.fit(allInputs, allOutputs, extraNoise, h, used.estimatesMean());
    return new Surrogate(process, fit, inputs, mean, scale);
  }

  public GaussianProcess process() {
    return process;
  }

  public HyperparameterFitter.Fit fit() {
    return fit;
  }

  public KernelHyperparameters hyperparameters() {
    return process.hyperparameters();
  }

  public int observations() {
    return inputs.length;
  }

  /** Encoded observed points, in observation order (shared, do not modify). */
  double[][] inputs() {
    return inputs;
  }

  /** Standardised posterior means at the observed points, in observation order (shared, do not modify). */
  double[] observedStandardMeans() {
    return observedMeans;
  }

  /** Index (in observation order) of the observed point with the highest posterior mean. */
  public int incumbentIndex() {
    return incumbentIndex;
  }

  /**
   * Index (in observation order) of the observed point with the highest posterior mean among those
   * {@code eligible} accepts, or -1 when it accepts none.
   */
  public int bestIndexWhere(java.util.function.IntPredicate eligible) {
    int best = -1;
    for (int i = 0; i < observedMeans.length; i++) {
      if (eligible.test(i) && (best < 0 || observedMeans[i] > observedMeans[best])) {
        best = i;
      }
    }
    return best;
  }

  /** Encoded incumbent point. */
  public double[] incumbent() {
    return inputs[incumbentIndex].clone();
  }

  /** Posterior mean at the incumbent, in the original units. */
  public double incumbentMean() {
    return fromStandard(incumbentStandardMean);
  }

  /** Posterior mean at the incumbent, standardised (the EI threshold). */
  public double incumbentStandardMean() {
    return incumbentStandardMean;
  }

  /** Posterior mean and variance of the latent function, in original units. */
  public GaussianProcess.Prediction predict(double[] encoded) {
    GaussianProcess.Prediction p = process.predict(encoded);
    return new GaussianProcess.Prediction(fromStandard(p.mean()), p.variance() * scale * scale);
  }

  public double toStandard(double value) {
    return (value - offset) / scale;
  }

  public double fromStandard(double standard) {
    return offset + standard * scale;
  }

  /** Standard deviation of the observed values (1 when they are all equal). */
  public double scale() {
    return scale;
  }
}
