package dev.promptlab.optimizer.model;

import org.hipparchus.special.Erf;

/**
 * Expected improvement for maximisation, {@code EI = E[max(f - best - xi, 0)]} under a normal posterior
 * {@code f ~ N(mu, sd^2)}, evaluated on the log scale so that points far below the incumbent still
 * get finite, comparable values instead of underflowing to zero:
 *
 * <pre>
 *   z = (mu - best - xi) / sd,   EI = sd * h(z),   h(z) = phi(z) + z Phi(z)
 * </pre>
 *
 * For {@code z <= -1}, {@code h(z) = phi(z) (1 + z Phi(z)/phi(z))} with the ratio taken from the scaled
 * complementary error function, which stays accurate far into the tail.
 */
public final class ExpectedImprovement {

  private static final double LOG_2PI = Math.log(2 * Math.PI);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);
  private static final double SQRT_PI_OVER_2 = Math.sqrt(Math.PI / 2);
  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2);
  private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);

  private ExpectedImprovement() {
  }

  /** {@code log EI}. */
  public static double logValue(double mean, double sd, double best, double xi) {
    return Math.log(sd) + logH((mean - best - xi) / sd);
  }

  /** {@code EI} itself (may underflow to 0 far in the tail; use {@link #logValue} to rank). */
  public static double value(double mean, double sd, double best, double xi) {
    return Math.exp(logValue(mean, sd, best, xi));
  }

  /**
   * {@code log EI} and its gradient with respect to the point, given the posterior's gradients there.
   * The gradient is written to {@code gradient}; the value is returned.
   */
  public static double logValueWithGradient(GaussianProcess.PredictionWithGradient p, double best, double xi,
                                            double[] gradient) {
    double sd = p.sd();
    double z = (p.mean() - best - xi) / sd;
    double logH = logH(z);
    double ratioPhi;
    double ratioCdf;
    if (z > -1.0) {
      double h = Math.exp(logH);
      ratioPhi = pdf(z) / h;
      ratioCdf = cdf(z) / h;
    } else {
      double q = cdfOverPdf(z);
      double den = onePlusZq(z, q);
      ratioPhi = 1.0 / den;
      ratioCdf = q / den;
    }
    // dEI/dmu = Phi(z), dEI/dsd = phi(z); divide by EI = sd h(z).
    double[] dm = p.meanGradient();
    double[] ds = p.sdGradient();
    for (int d = 0; d < gradient.length; d++) {
      gradient[d] = (ratioCdf * dm[d] + ratioPhi * ds[d]) / sd;
    }
    return Math.log(sd) + logH;
  }

  /** {@code log h(z) = log(phi(z) + z Phi(z))}, stable for very negative {@code z}. */
  public static double logH(double z) {
    if (z > -1.0) {
      return Math.log(pdf(z) + z * cdf(z));
    }
    return -0.5 * z * z - 0.5 * LOG_2PI + Math.log(onePlusZq(z, cdfOverPdf(z)));
  }

  /** {@code 1 + z Phi(z)/phi(z)} for {@code z <= -1}; its series replaces the cancelling difference far out. */
  private static double onePlusZq(double z, double q) {
    if (z < -40) {
      double inv2 = 1.0 / (z * z);
      return inv2 * (1 - inv2 * (3 - inv2 * (15 - 105 * inv2)));
    }
    return Math.max(1.0 + z * q, Double.MIN_NORMAL);
  }

  /** Standard normal density. */
  public static double pdf(double z) {
    return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  }

  /** Standard normal distribution function. */
  public static double cdf(double z) {
    return 0.5 * Erf.erfc(-z * INV_SQRT2);
  }

  /** {@code Phi(z)/phi(z)} for {@code z <= 0}, via the scaled complementary error function. */
  static double cdfOverPdf(double z) {
    return SQRT_PI_OVER_2 * scaledErfc(-z * INV_SQRT2);
  }

  /** {@code erfcx(x) = exp(x^2) erfc(x)} for {@code x >= 0}. */
  static double scaledErfc(double x) {
    if (x < 5.0) {
      return Math.exp(x * x) * Erf.erfc(x);
    }
    // Laplace continued fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
    double t = x;
    for (int k = 60; k >= 1; k--) {
      t = x + (k / 2.0) / t;
    }
    return INV_SQRT_PI / t;
  }
}
