package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedMinimizerTest {

  private static double rosenbrock(double[] x, double[] g) {
    double a = 1 - x[0];
    double b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  }

  @Test
  void findsTheInteriorMinimumOfRosenbrock() {
    BoundedMinimizer minimizer = new BoundedMinimizer(new double[] {-2, -2}, new double[] {2, 2}, 500, 1e-15, 1e-9);
    BoundedMinimizer.Result result = minimizer.minimize(BoundedMinimizerTest::rosenbrock, new double[] {-1.2, 1.0});
    assertEquals(1.0, result.point()[0], 1e-4);
    assertEquals(1.0, result.point()[1], 1e-4);
    assertTrue(result.value() < 1e-8);
  }

  @Test
  void stopsOnTheBoundWhenTheMinimumLiesOutside() {
    // (x - 3)^2 + (y + 1)^2 over [0, 1]^2: the answer is the corner (1, 0).
    BoundedMinimizer minimizer = new BoundedMinimizer(new double[] {0, 0}, new double[] {1, 1}, 100, 1e-12, 1e-9);
    BoundedMinimizer.Result result = minimizer.minimize((x, g) -> {
      g[0] = 2 * (x[0] - 3);
      g[1] = 2 * (x[1] + 1);
      return (x[0] - 3) * (x[0] - 3) + (x[1] + 1) * (x[1] + 1);
    }, new double[] {0.2, 0.9});
    assertEquals(1.0, result.point()[0], 0.0);
    assertEquals(0.0, result.point()[1], 0.0);
  }

  @Test
  void neverEvaluatesOutsideTheBox() {
    double[] lower = {-1, -1, -1};
    double[] upper = {1, 0.5, 1};
    BoundedMinimizer minimizer = new BoundedMinimizer(lower, upper, 100, 1e-12, 1e-9);
    BoundedMinimizer.Result result = minimizer.minimize((x, g) -> {
      for (int i = 0; i < 3; i++) {
        assertTrue(x[i] >= lower[i] && x[i] <= upper[i], "evaluated outside the box");
      }
      double v = 0;
      for (int i = 0; i < 3; i++) {
        g[i] = 2 * (x[i] - 0.7);
        v += (x[i] - 0.7) * (x[i] - 0.7);
      }
      return v;
    }, new double[] {5, 5, 5});
    assertEquals(0.7, result.point()[0], 1e-6);
    assertEquals(0.5, result.point()[1], 1e-12);
    assertEquals(0.7, result.point()[2], 1e-6);
  }

  @Test
  void backsOffFromPointsWhereTheObjectiveFails() {
    // (x - 2)^2 on [0, 3], but the model cannot be evaluated beyond 1.5: the search stays where it can.
    BoundedMinimizer minimizer = new BoundedMinimizer(new double[] {0}, new double[] {3}, 100, 1e-12, 1e-9);
    BoundedMinimizer.Result result = minimizer.minimize((x, g) -> {
      if (x[0] > 1.5) {
        throw new ModelFailure("cannot evaluate here");
      }
      g[0] = 2 * (x[0] - 2);
      return (x[0] - 2) * (x[0] - 2);
    }, new double[] {0});
    assertTrue(result.point()[0] <= 1.5 && result.point()[0] >= 1.0, "ended at " + result.point()[0]);
    assertTrue(Double.isFinite(result.value()));
  }

  @Test
  void reportsAnUnusableStart() {
    BoundedMinimizer minimizer = new BoundedMinimizer(new double[] {0}, new double[] {1}, 10, 1e-12, 1e-9);
    BoundedMinimizer.Result result = minimizer.minimize((x, g) -> {
      throw new ModelFailure("never usable");
    }, new double[] {0.5});
    assertEquals(Double.POSITIVE_INFINITY, result.value());
    assertEquals(1, result.evaluations());
  }
}
