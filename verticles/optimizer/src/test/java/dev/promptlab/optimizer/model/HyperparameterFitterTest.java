package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HyperparameterFitterTest {

  private static final double FLOOR = HyperparameterFitter.Bounds.defaults().minLevelLengthscale();

  private static double[] sample(double[][] x, double noiseSd, SplittableRandom random) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.sin(6 * x[i][0]) + 0.5 * Math.cos(4 * x[i][1]) + noiseSd * random.nextGaussian();
    }
    return y;
  }

  @Test
  void learnsTheNoiseLevelAndIgnoresAnIrrelevantInput() {
    SplittableRandom random = new SplittableRandom(8);
    double[][] x = GaussianProcessTest.randomPoints(random, 120, 3);
    double[] y = sample(x, 0.3, random);
    HyperparameterFitter fitter = new HyperparameterFitter(HyperparameterFitter.Bounds.defaults(), HyperparameterPrior.none(), 3, 200, 150, false);
    HyperparameterFitter.Fit fit = fitter.fit(x, y, null, random);
    KernelHyperparameters h = fit.hyperparameters();
    assertEquals(0.09, h.noiseVariance(), 0.05);
    // The third input does not matter: its lengthscale is much longer than the others.
    assertTrue(h.lengthscale(2) > 3 * h.lengthscale(0) && h.lengthscale(2) > 3 * h.lengthscale(1), h.toString());
    MarginalLikelihood likelihood = new MarginalLikelihood(x, y);
    assertTrue(fit.objective() <= likelihood.evaluate(KernelHyperparameters.defaults(3).theta(), null));
  }

  @Test
  void subsampledRestartsNeverDoWorseThanTheWarmStartAlone() {
    SplittableRandom random = new SplittableRandom(9);
    double[][] x = GaussianProcessTest.randomPoints(random, 90, 2);
    double[] y = sample(x, 0.1, random);
    HyperparameterFitter single = new HyperparameterFitter(HyperparameterFitter.Bounds.defaults(), HyperparameterPrior.none(), 1, 200, 40, false);
    HyperparameterFitter several = new HyperparameterFitter(HyperparameterFitter.Bounds.defaults(), HyperparameterPrior.none(), 4, 200, 40, false);
    KernelHyperparameters warm = KernelHyperparameters.defaults(2);
    double alone = single.fit(x, y, warm, new SplittableRandom(1)).objective();
    double restarted = several.fit(x, y, warm, new SplittableRandom(1)).objective();
    assertTrue(restarted <= alone + 1e-9);
  }

  /**
   * Two levels of a categorical (one-hot columns 0 and 1) whose values have nothing in common: on its own the fit
   * separates them with a short lengthscale; with the columns named, their lengthscales stay at the level floor.
   */
  @Test
  void levelColumnsKeepTheirLengthscaleFloor() {
    SplittableRandom random = new SplittableRandom(10);
    double[][] x = new double[60][];
    double[] y = new double[60];
    for (int i = 0; i < x.length; i++) {
      int level = i % 2;
      double u = random.nextDouble();
      x[i] = new double[] {1 - level, level, u};
      y[i] = level == 0 ? Math.sin(6 * u) : -Math.sin(6 * u);
    }
    HyperparameterFitter plain = new HyperparameterFitter(HyperparameterFitter.Bounds.defaults(),
      HyperparameterPrior.none(), 3, 200, 150, false);
    KernelHyperparameters free = plain.fit(x, y, null, new SplittableRandom(1)).hyperparameters();
    assertTrue(free.lengthscale(0) < FLOOR || free.lengthscale(1) < FLOOR, free.toString());
    KernelHyperparameters held = plain.withLevelColumns(new int[] {0, 1}).withNoiseAtLeast(1e-4)
      .fit(x, y, null, new SplittableRandom(1)).hyperparameters();
    assertTrue(held.lengthscale(0) >= FLOOR - 1e-9 && held.lengthscale(1) >= FLOOR - 1e-9, held.toString());
  }

  @Test
  void refusesBadBoundsAndUnknownLevelColumns() {
    assertThrows(IllegalArgumentException.class,
      () -> new HyperparameterFitter.Bounds(1e-2, 1e1, 5e-2, 2e1, 1e-6, 1.0, 20));
    assertThrows(IllegalArgumentException.class,
      () -> new HyperparameterFitter.Bounds(1, 0.5, 5e-2, 2e1, 1e-6, 1.0, 1));
    HyperparameterFitter fitter = new HyperparameterFitter(HyperparameterFitter.Bounds.defaults(),
      HyperparameterPrior.none(), 1, 50, 150, false).withLevelColumns(new int[] {3});
    double[][] x = {{0, 1}, {1, 0}, {0.5, 0.5}};
    assertThrows(IllegalArgumentException.class,
      () -> fitter.fit(x, new double[] {1, 2, 3}, null, new SplittableRandom(1)));
  }
}
