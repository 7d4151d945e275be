package dev.promptlab.optimizer.model;

/**
 * Weak independent normal priors on the log-hyperparameters, added to the negative log marginal
 * likelihood (so the fit is a maximum a posteriori estimate). With a few dozen noisy integer ratings the
 * likelihood alone is often flat enough that a degenerate explanation wins ("only the category matters
 * and everything else is noise", or a spike per lucky rating); the priors make moderate lengthscales
 * and a modest noise share the default explanation while leaving the data free to overrule them. A
 * standard deviation of {@code +Infinity} switches a term off; {@link #none()} gives plain maximum
 * likelihood.
 *
 * @param logLengthscaleMean mean of {@code log l} (inputs in the unit cube)
 * @param logLengthscaleSd   its standard deviation
 * @param logSignalMean      mean of {@code log signalVariance} (outputs standardised)
 * @param logSignalSd        its standard deviation
 * @param logNoiseMean       mean of {@code log noiseVariance}
 * @param logNoiseSd         its standard deviation
 */
public record HyperparameterPrior(double logLengthscaleMean, double logLengthscaleSd, double logSignalMean,
                                  double logSignalSd, double logNoiseMean, double logNoiseSd) {

  public HyperparameterPrior {
    if (!(logLengthscaleSd > 0 && logSignalSd > 0 && logNoiseSd > 0)) {
      throw new IllegalArgumentException("prior standard deviations must be positive");
    }
  }

  /**
   * The priors used by default: lengthscales around 0.4 of the cube (log-sd 0.5, so 0.15 and 1.1 are
   * two standard deviations away; a looser 0.75 found the simulated trainers' tastes less often, see the module
   * README), signal variance around 1 (log-sd 1), noise variance around 0.02 of the output variance but loosely
   * (log-sd 3, so a noise-free function can still reach 1e-6). The lengthscale prior applies to the one-hot columns of a
   * categorical too, so they mostly sit at their floor ({@link HyperparameterFitter.Bounds#minLevelLengthscale}).
   */
  public static HyperparameterPrior defaults() {
    return new HyperparameterPrior(Math.log(0.4), 0.5, 0.0, 1.0, -3.9, 3.0);
  }

  /** No prior: plain maximum marginal likelihood. */
  public static HyperparameterPrior none() {
    double off = Double.POSITIVE_INFINITY;
    return new HyperparameterPrior(0, off, 0, off, 0, off);
  }

  /**
   * The negative log prior density (up to a constant) at {@code theta}; its gradient is added to
   * {@code gradient} when that is not null.
   */
  public double penalty(double[] theta, double[] gradient) {
    int dims = theta.length - 2;
    double value = 0;
    for (int d = 0; d < dims; d++) {
      value += term(theta, gradient, d, logLengthscaleMean, logLengthscaleSd);
    }
    value += term(theta, gradient, dims, logSignalMean, logSignalSd);
    value += term(theta, gradient, dims + 1, logNoiseMean, logNoiseSd);
    return value;
  }

  private static double term(double[] theta, double[] gradient, int index, double mean, double sd) {
    if (Double.isInfinite(sd)) {
      return 0;
    }
    double z = (theta[index] - mean) / sd;
    if (gradient != null) {
      gradient[index] += z / sd;
    }
    return 0.5 * z * z;
  }
}
