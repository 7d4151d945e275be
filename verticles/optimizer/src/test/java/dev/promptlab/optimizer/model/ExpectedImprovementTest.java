package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpectedImprovementTest {

  private static double closedForm(double mean, double sd, double best, double xi) {
    double z = (mean - best - xi) / sd;
    return (mean - best - xi) * ExpectedImprovement.cdf(z) + sd * ExpectedImprovement.pdf(z);
  }

  @Test
  void matchesTheClosedFormWhereItIsAccurate() {
    double[][] cases = {{0.0, 1.0, 0.0, 0.0}, {1.2, 0.3, 0.5, 0.0}, {-0.4, 0.7, 0.1, 0.01}, {0.0, 2.0, 1.5, 0.0},
      {-2.0, 0.5, 0.0, 0.0}, {3.0, 0.1, -1.0, 0.0}};
    for (double[] c : cases) {
      double expected = closedForm(c[0], c[1], c[2], c[3]);
      assertEquals(expected, ExpectedImprovement.value(c[0], c[1], c[2], c[3]), 1e-12 * Math.max(1, expected));
      assertEquals(Math.log(expected), ExpectedImprovement.logValue(c[0], c[1], c[2], c[3]), 1e-10);
    }
  }

  @Test
  void logValueStaysFiniteAndDecreasingFarBelowTheIncumbent() {
    double previous = Double.POSITIVE_INFINITY;
    for (double z = -1; z > -1e6; z *= 1.7) {
      double v = ExpectedImprovement.logH(z);
      assertTrue(Double.isFinite(v), "log h finite at " + z);
      assertTrue(v < previous, "log h decreasing at " + z);
      previous = v;
    }
    // Asymptotically h(z) ~ phi(z) / z^2: log h(z) + z^2/2 + log(2 pi)/2 + 2 log|z| -> 0.
    double z = -200;
    double residual = ExpectedImprovement.logH(z) + 0.5 * z * z + 0.5 * Math.log(2 * Math.PI) + 2 * Math.log(-z);
    assertEquals(0.0, residual, 1e-4);
  }

  @Test
  void bothBranchesAgreeAtTheirBoundary() {
    double left = ExpectedImprovement.logH(-1.0);
    double right = ExpectedImprovement.logH(Math.nextUp(-1.0));
    assertEquals(left, right, 1e-12);
    // erfcx: direct and continued-fraction forms meet at 5; erfcx(10) is a tabulated value.
    assertEquals(ExpectedImprovement.scaledErfc(Math.nextDown(5.0)), ExpectedImprovement.scaledErfc(5.0), 1e-13);
    assertEquals(0.05614099274382259, ExpectedImprovement.scaledErfc(10.0), 1e-15);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(23);
    double[][] x = GaussianProcessTest.randomPoints(random, 25, 2);
    double[] y = new double[25];
    for (int i = 0; i < y.length; i++) {
      y[i] = -((x[i][0] - 0.3) * (x[i][0] - 0.3)) - (x[i][1] - 0.6) * (x[i][1] - 0.6);
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, new KernelHyperparameters(new double[] {-1, -1, -2, -8}));
    double best = 0.02;
    for (double[] point : new double[][] {{0.31, 0.58}, {0.9, 0.1}, {0.05, 0.95}}) {
      double[] gradient = new double[2];
      double value = ExpectedImprovement.logValueWithGradient(gp.predictWithGradient(point), best, 0.0, gradient);
      GaussianProcess.Prediction p = gp.predict(point);
      assertEquals(ExpectedImprovement.logValue(p.mean(), p.sd(), best, 0.0), value, 1e-10);
      double h = 1e-6;
      for (int d = 0; d < 2; d++) {
        double[] up = point.clone();
        double[] down = point.clone();
        up[d] += h;
        down[d] -= h;
        GaussianProcess.Prediction pu = gp.predict(up);
        GaussianProcess.Prediction pd = gp.predict(down);
        double fd = (ExpectedImprovement.logValue(pu.mean(), pu.sd(), best, 0.0)
          - ExpectedImprovement.logValue(pd.mean(), pd.sd(), best, 0.0)) / (2 * h);
        assertEquals(fd, gradient[d], 1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  }
}
