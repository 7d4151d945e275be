package dev.promptlab.reward.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BayesianRidgeTest {

  @Test
  void recoversALinearFunctionAndItsNoise() {
    Random random = new Random(1);
    int n = 400;
    double[][] x = new double[n][3];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = random.nextGaussian();
      }
      t[i] = 3 + 0.8 * x[i][0] - 0.5 * x[i][1] + 0.3 * random.nextGaussian();
    }
    BayesianRidge model = BayesianRidge.fit(x, t);
    double[] w = model.weights();
    assertEquals(0.8, w[0], 0.05);
    assertEquals(-0.5, w[1], 0.05);
    assertEquals(0.0, w[2], 0.05);
    assertEquals(0.3, model.noiseSd(), 0.03);
    assertEquals(3 + 0.8, model.predict(new double[] {1, 0, 0}).mean(), 0.05);
  }

  @Test
  void isLessSureFarFromItsData() {
    Random random = new Random(2);
    int n = 50;
    double[][] x = new double[n][2];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = random.nextGaussian() * 0.5;
      x[i][1] = random.nextGaussian() * 0.5;
      t[i] = x[i][0] + 0.2 * random.nextGaussian();
    }
    BayesianRidge model = BayesianRidge.fit(x, t);
    double near = model.predict(new double[] {0, 0}).sd();
    double far = model.predict(new double[] {20, -20}).sd();
    assertTrue(far > 2 * near, "near " + near + ", far " + far);
    assertTrue(near >= model.noiseSd(), "a new rating is at least as uncertain as the noise");
  }

  @Test
  void shrinksWeightsWhenTheTargetsArePureNoise() {
    Random random = new Random(3);
    int n = 60;
    double[][] x = new double[n][10];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 10; j++) {
        x[i][j] = random.nextGaussian();
      }
      t[i] = 3 + random.nextGaussian();
    }
    double[] w = BayesianRidge.fit(x, t).weights();
    double norm = 0;
    for (double v : w) {
      norm += v * v;
    }
    // Ordinary least squares would fit about 10 / 60 of the noise variance into these weights.
    assertTrue(Math.sqrt(norm) < 0.25, "weights norm " + Math.sqrt(norm));
  }

  @Test
  void refusesTooFewRows() {
    assertThrows(IllegalArgumentException.class, () -> BayesianRidge.fit(new double[][] {{1}}, new double[] {1}));
  }
}
