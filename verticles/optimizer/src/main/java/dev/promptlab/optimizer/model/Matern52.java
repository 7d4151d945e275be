package dev.promptlab.optimizer.model;

/**
 * The Matérn-5/2 correlation as a function of the squared scaled distance
 * {@code r^2 = sum_d (x_d - x'_d)^2 / l_d^2}: {@code (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)}.
 */
final class Matern52 {

  static final double SQRT5 = Math.sqrt(5.0);

  private Matern52() {
  }

  static double correlation(double r2) {
    double r = Math.sqrt(r2);
    return (1.0 + SQRT5 * r + (5.0 / 3.0) * r2) * Math.exp(-SQRT5 * r);
  }

  /**
   * {@code -2 d correlation / d r^2 = 5/3 (1 + sqrt5 r) exp(-sqrt5 r)}: multiplied by
   * {@code (x_d - x'_d)^2 / l_d^2} it gives the derivative with respect to {@code log l_d}.
   */
  static double slope(double r2) {
    double r = Math.sqrt(r2);
    return (5.0 / 3.0) * (1.0 + SQRT5 * r) * Math.exp(-SQRT5 * r);
  }
}
