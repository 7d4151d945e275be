package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarginalLikelihoodTest {

  @Test
  void valueMatchesHandComputedTwoPointCase() {
    double[][] x = {{0.0, 0.0}, {0.3, 0.4}};
    double[] y = {0.8, -0.3};
    double l1 = 0.5;
    double l2 = 0.25;
    double sf2 = 2.0;
    double sn2 = 0.05;
    double[] theta = {Math.log(l1), Math.log(l2), Math.log(sf2), Math.log(sn2)};
    double r = Math.sqrt(0.3 * 0.3 / (l1 * l1) + 0.4 * 0.4 / (l2 * l2));
    double a = sf2 * (1 + Math.sqrt(5) * r + 5.0 / 3.0 * r * r) * Math.exp(-Math.sqrt(5) * r);
    double p = sf2 + sn2;
    double det = p * p - a * a;
    double quad = (p * y[0] * y[0] - 2 * a * y[0] * y[1] + p * y[1] * y[1]) / det;
    double expected = 0.5 * quad + 0.5 * Math.log(det) + Math.log(2 * Math.PI);
    assertEquals(expected, new MarginalLikelihood(x, y).evaluate(theta, null), 1e-12);
  }

  @Test
  void gradientMatchesCentralFiniteDifferences() {
    checkGradient(false);
  }

  @Test
  void gradientWithTheMeanProfiledOutMatchesFiniteDifferencesToo() {
    checkGradient(true);
  }

  private static void checkGradient(boolean estimateMean) {
    SplittableRandom random = new SplittableRandom(17);
    double[][] x = GaussianProcessTest.randomPoints(random, 40, 4);
    double[] y = new double[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = 1.5 + Math.sin(5 * x[i][0]) + x[i][1] * x[i][2] + 0.1 * random.nextGaussian();
    }
    MarginalLikelihood likelihood = new MarginalLikelihood(x, y, estimateMean);
    for (int trial = 0; trial < 5; trial++) {
      double[] theta = new double[6];
      for (int d = 0; d < 4; d++) {
        theta[d] = Math.log(0.1 + random.nextDouble());
      }
      theta[4] = Math.log(0.5 + random.nextDouble());
      theta[5] = Math.log(1e-3 + 0.1 * random.nextDouble());
      double[] gradient = new double[6];
      likelihood.evaluate(theta, gradient);
      double h = 1e-5;
      for (int j = 0; j < theta.length; j++) {
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[j] += h;
        down[j] -= h;
        double fd = (likelihood.evaluate(up, null) - likelihood.evaluate(down, null)) / (2 * h);
        assertEquals(fd, gradient[j], 1e-5 * Math.max(1, Math.abs(fd)), "component " + j + " at trial " + trial);
      }
    }
  }
}
