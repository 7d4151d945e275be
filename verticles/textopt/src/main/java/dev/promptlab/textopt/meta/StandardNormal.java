package dev.promptlab.textopt.meta;

/** The standard normal distribution's density, distribution function and expected excess, as ranking needs them. */
final class StandardNormal {

  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  /** Below this, z Φ(z) + φ(z) loses every digit to cancellation and the asymptotic series is exact enough. */
  private static final double TAIL = -6;

  private StandardNormal() {
  }

  static double density(double z) {
    return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  }

  /** Φ(z), with a relative error under 1.2e-7 everywhere, the far tails included. */
  static double cdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /**
   * E[max(0, Z + z)] for a standard normal Z, that is z Φ(z) + φ(z): the expected improvement per standard
   * deviation when the mean is z standard deviations above the bar. Positive for every z, so candidates far below
   * the bar still keep their order.
   */
  static double expectedExcess(double z) {
    if (z < TAIL) {
      double inverseSquare = 1 / (z * z);
      return density(z) * inverseSquare * (1 - 3 * inverseSquare + 15 * inverseSquare * inverseSquare);
    }
    return z * cdf(z) + density(z);
  }

  /** The complementary error function by Chebyshev fitting (Numerical Recipes, erfcc). */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
      + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
      + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
