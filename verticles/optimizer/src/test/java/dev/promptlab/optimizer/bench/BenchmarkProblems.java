package dev.promptlab.optimizer.bench;

import dev.promptlab.optimizer.model.SearchSpace;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The benchmark functions of the reference protocol ({@code ref_gp_ei.py}), in natural coordinates.
 * Branin and Hartmann-6 are minimised; the rating proxy is a 1-5 Likert rating that is maximised.
 */
final class BenchmarkProblems {

  private BenchmarkProblems() {
  }

  static final SearchSpace BRANIN_SPACE = new SearchSpace(List.of(
    new SearchSpace.Real("x1", -5.0, 10.0), new SearchSpace.Real("x2", 0.0, 15.0)));
  static final double BRANIN_MIN = 0.397887;

  static double branin(double[] x) {
    double a = 1.0;
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5.0 / Math.PI;
    double r = 6.0;
    double s = 10.0;
    double t = 1.0 / (8 * Math.PI);
    double u = x[1] - b * x[0] * x[0] + c * x[0] - r;
    return a * u * u + s * (1 - t) * Math.cos(x[0]) + s;
  }

  static final SearchSpace HARTMANN6_SPACE = new SearchSpace(List.of(
    new SearchSpace.Real("x1", 0, 1), new SearchSpace.Real("x2", 0, 1), new SearchSpace.Real("x3", 0, 1),
    new SearchSpace.Real("x4", 0, 1), new SearchSpace.Real("x5", 0, 1), new SearchSpace.Real("x6", 0, 1)));
  static final double HARTMANN6_MIN = -3.32237;

  private static final double[] H6_ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] H6_A = {
    {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
  private static final double[][] H6_P = {
    {1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
    {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

  static double hartmann6(double[] x) {
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      double e = 0;
      for (int j = 0; j < 6; j++) {
        double d = x[j] - 1e-4 * H6_P[i][j];
        e += H6_A[i][j] * d * d;
      }
      sum += H6_ALPHA[i] * Math.exp(-e);
    }
    return -sum;
  }

  /** Three sliders in [0, 1] and a categorical with levels A, B, C (natural value = level index). */
  static final SearchSpace RATING_SPACE = new SearchSpace(List.of(
    new SearchSpace.Real("s1", 0, 1), new SearchSpace.Real("s2", 0, 1), new SearchSpace.Real("s3", 0, 1),
    new SearchSpace.Categorical("c", List.of("A", "B", "C"))));

  private static final double[][] RATING_CENTERS = {{0.25, 0.70, 0.40}, {0.75, 0.30, 0.60}, {0.50, 0.50, 0.85}};
  private static final double[] RATING_PEAK = {1.0, 0.8, 0.6};
  static final double RATING_NOISE_SD = 0.5;

  /** The true (noise-free) rating of the proxy: a bump per level on a floor of 1. */
  static double ratingTrue(double[] x, double width) {
    int level = (int) x[3];
    double d2 = 0;
    for (int i = 0; i < 3; i++) {
      double d = x[i] - RATING_CENTERS[level][i];
      d2 += d * d;
    }
    return 1.0 + 4.0 * RATING_PEAK[level] * Math.exp(-d2 / (2 * width * width));
  }

  /** What a trainer would give: the true rating plus N(0, 0.5^2), rounded and clipped to 1..5. */
  static double ratingNoisy(double[] x, double width, RandomGenerator noise) {
    double v = Math.rint(ratingTrue(x, width) + noise.nextGaussian() * RATING_NOISE_SD);
    return Math.min(5, Math.max(1, v));
  }
}
