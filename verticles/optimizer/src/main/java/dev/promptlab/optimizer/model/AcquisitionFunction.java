package dev.promptlab.optimizer.model;

/**
 * What an exploring point maximises, from the model's posterior at the point (standardised outputs). Both rules grow
 * with the standard deviation at a fixed mean, so an upper bound of the variance gives an upper bound of the value
 * (the screening in {@link AcquisitionSearch} relies on it).
 */
interface AcquisitionFunction {

  /** The value at a point whose posterior has this mean and standard deviation. */
  double value(double mean, double sd);

  /** The value, and its gradient with respect to the point written to {@code gradient}. */
  double valueWithGradient(GaussianProcess.PredictionWithGradient p, double[] gradient);

  /** {@code log EI} above {@code best + xi} (see {@link ExpectedImprovement}). */
  static AcquisitionFunction expectedImprovement(double best, double xi) {
    return new AcquisitionFunction() {
      @Override
      public double value(double mean, double sd) {
        return ExpectedImprovement.logValue(mean, sd, best, xi);
      }

      @Override
      public double valueWithGradient(GaussianProcess.PredictionWithGradient p, double[] gradient) {
        return ExpectedImprovement.logValueWithGradient(p, best, xi, gradient);
      }
    };
  }

  /** The upper confidence bound {@code mean + width * sd}: no incumbent in it, so a lucky vote cannot set the bar. */
  static AcquisitionFunction upperConfidenceBound(double width) {
    return new AcquisitionFunction() {
      @Override
      public double value(double mean, double sd) {
        return mean + width * sd;
      }

      @Override
      public double valueWithGradient(GaussianProcess.PredictionWithGradient p, double[] gradient) {
        double[] dm = p.meanGradient();
        double[] ds = p.sdGradient();
        for (int d = 0; d < gradient.length; d++) {
          gradient[d] = dm[d] + width * ds[d];
        }
        return p.mean() + width * p.sd();
      }
    };
  }
}
