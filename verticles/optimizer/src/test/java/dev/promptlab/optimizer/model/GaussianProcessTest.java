package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

  private static double matern(double r) {
    return (1 + Math.sqrt(5) * r + 5.0 / 3.0 * r * r) * Math.exp(-Math.sqrt(5) * r);
  }

  private static KernelHyperparameters theta(double lengthscale, double signal, double noise) {
    return new KernelHyperparameters(new double[] {Math.log(lengthscale), Math.log(signal), Math.log(noise)});
  }

  @Test
  void posteriorMatchesHandComputedTwoPointCase() {
    // Two observations at x = 0 and x = 1, lengthscale 2, signal variance 1.5, noise 0.1.
    double l = 2.0;
    double sf2 = 1.5;
    double sn2 = 0.1;
    double[][] x = {{0.0}, {1.0}};
    double[] y = {1.0, -0.5};
    GaussianProcess gp = GaussianProcess.fit(x, y, theta(l, sf2, sn2));

    // K = [[p, a], [a, p]], K^-1 = [[p, -a], [-a, p]] / (p^2 - a^2)
    double p = sf2 + sn2;
    double a = sf2 * matern(1.0 / l);
    double det = p * p - a * a;
    double star = 0.25;
    double k0 = sf2 * matern(star / l);
    double k1 = sf2 * matern((1 - star) / l);
    double w0 = (p * k0 - a * k1) / det;
    double w1 = (-a * k0 + p * k1) / det;
    double mean = w0 * y[0] + w1 * y[1];
    double variance = sf2 - (k0 * w0 + k1 * w1);

    GaussianProcess.Prediction prediction = gp.predict(new double[] {star});
    assertEquals(mean, prediction.mean(), 1e-12);
    assertEquals(variance, prediction.variance(), 1e-12);
    assertEquals(0.0, gp.jitter());
  }

  @Test
  void estimatedConstantMeanFollowsTheGeneralisedLeastSquaresFormula() {
    // Three points: two close together and high, one apart and low. GLS weighs the close pair as
    // roughly one observation, so the mean sits lower than the plain average.
    double[][] x = {{0.10}, {0.12}, {0.90}};
    double[] y = {2.0, 2.2, -1.0};
    KernelHyperparameters h = theta(0.2, 1.0, 0.01);
    GaussianProcess gp = GaussianProcess.fit(x, y, h, true);
    DMatrixRMaj k = GaussianProcess.covariance(x, h);
    DMatrixRMaj inverse = new DMatrixRMaj(3, 3);
    CommonOps_DDRM.invert(k, inverse);
    double num = 0;
    double den = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        num += inverse.get(i, j) * y[j];
        den += inverse.get(i, j);
      }
    }
    double m = num / den;
    assertEquals(m, gp.priorMean(), 1e-10);
    assertTrue(m < (2.0 + 2.2 - 1.0) / 3);
    // Far from every observation the posterior mean returns to m, not to zero.
    assertEquals(m, gp.predict(new double[] {30.0}).mean(), 1e-9);
    // And conditioning on a fantasy keeps the estimated mean.
    assertEquals(gp.priorMean(), gp.condition(new double[] {0.5}, 0.3).priorMean(), 0.0);
  }

  @Test
  void batchPredictionAgreesWithSinglePoints() {
    SplittableRandom random = new SplittableRandom(3);
    double[][] x = randomPoints(random, 30, 3);
    double[] y = new double[30];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(3 * x[i][0]) + x[i][1] - x[i][2] * x[i][2];
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, new KernelHyperparameters(new double[] {-1, -0.5, 0, 0.2, -4}));
    double[][] points = randomPoints(random, 300, 3);
    double[] mean = new double[points.length];
    double[] variance = new double[points.length];
    gp.predict(points, mean, variance);
    for (int i = 0; i < points.length; i++) {
      GaussianProcess.Prediction single = gp.predict(points[i]);
      assertEquals(single.mean(), mean[i], 1e-10);
      assertEquals(single.variance(), variance[i], 1e-10);
    }
  }

  @Test
  void varianceBoundFromNearestObservationsNeverUndercutsTheExactVariance() {
    SplittableRandom random = new SplittableRandom(13);
    double[][] x = randomPoints(random, 120, 3);
    double[] y = new double[120];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(4 * x[i][0]) + x[i][1] + 0.2 * random.nextGaussian();
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, new KernelHyperparameters(new double[] {-1.5, -1, -0.5, 0, -3}), true);
    double[][] points = randomPoints(random, 200, 3);
    double[] mean = new double[200];
    double[] bound = new double[200];
    gp.predictWithVarianceBound(points, 16, mean, bound);
    double[] exact = new double[200];
    gp.exactVariances(points, java.util.stream.IntStream.range(0, 200).toArray(), exact);
    for (int i = 0; i < points.length; i++) {
      GaussianProcess.Prediction p = gp.predict(points[i]);
      assertEquals(p.mean(), mean[i], 1e-10);
      assertEquals(p.variance(), exact[i], 1e-10);
      assertTrue(bound[i] >= exact[i] - 1e-12, "bound below the exact variance at " + i);
    }
    // With every observation in the subset the bound is the exact variance.
    double[] all = new double[200];
    gp.predictWithVarianceBound(points, 120, mean, all);
    for (int i = 0; i < points.length; i++) {
      assertEquals(exact[i], all[i], 1e-8);
    }
  }

  @Test
  void gradientOfMeanAndDeviationMatchFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(5);
    double[][] x = randomPoints(random, 20, 2);
    double[] y = new double[20];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.cos(4 * x[i][0]) * x[i][1];
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, new KernelHyperparameters(new double[] {-1.2, -0.7, 0.1, -5}));
    double[] point = {0.37, 0.61};
    GaussianProcess.PredictionWithGradient p = gp.predictWithGradient(point);
    assertEquals(gp.predict(point).mean(), p.mean(), 1e-12);
    assertEquals(gp.predict(point).sd(), p.sd(), 1e-12);
    double h = 1e-6;
    for (int d = 0; d < 2; d++) {
      double[] up = point.clone();
      double[] down = point.clone();
      up[d] += h;
      down[d] -= h;
      double meanFd = (gp.predict(up).mean() - gp.predict(down).mean()) / (2 * h);
      double sdFd = (gp.predict(up).sd() - gp.predict(down).sd()) / (2 * h);
      assertEquals(meanFd, p.meanGradient()[d], 1e-6 * Math.max(1, Math.abs(meanFd)));
      assertEquals(sdFd, p.sdGradient()[d], 1e-6 * Math.max(1, Math.abs(sdFd)));
    }
  }

  @Test
  void conditioningOnAFantasyEqualsRefittingWithIt() {
    SplittableRandom random = new SplittableRandom(11);
    double[][] x = randomPoints(random, 15, 2);
    double[] y = new double[15];
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i][0] - 2 * x[i][1];
    }
    KernelHyperparameters h = new KernelHyperparameters(new double[] {-1, -1, 0, -3});
    GaussianProcess gp = GaussianProcess.fit(x, y, h);
    double[] extra = {0.5, 0.5};
    GaussianProcess conditioned = gp.condition(extra, 0.7);

    double[][] x2 = new double[16][];
    System.arraycopy(x, 0, x2, 0, 15);
    x2[15] = extra;
    double[] y2 = new double[16];
    System.arraycopy(y, 0, y2, 0, 15);
    y2[15] = 0.7;
    GaussianProcess refit = GaussianProcess.fit(x2, y2, h);
    for (double[] q : randomPoints(random, 20, 2)) {
      assertEquals(refit.predict(q).mean(), conditioned.predict(q).mean(), 1e-9);
      assertEquals(refit.predict(q).variance(), conditioned.predict(q).variance(), 1e-9);
    }
    // The fantasy collapses the variance at its own location.
    assertTrue(conditioned.predict(extra).variance() < gp.predict(extra).variance());
  }

  /** The variance a rating at a candidate would remove, summed over reference points, is what conditioning removes. */
  @Test
  void integratedVarianceReductionIsWhatARatingThereWouldRemove() {
    SplittableRandom random = new SplittableRandom(17);
    double[][] x = randomPoints(random, 12, 2);
    for (double[] p : x) {
      p[0] *= 0.4;
    }
    double[] y = new double[12];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(3 * x[i][0]) + x[i][1];
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, new KernelHyperparameters(new double[] {-1.2, -0.9, 0, -2}));
    double[][] candidates = {{0.2, 0.5}, {0.7, 0.5}, {1.0, 1.0}, x[3]};
    double[][] reference = randomPoints(random, 40, 2);
    double[] reduction = gp.integratedVarianceReduction(candidates, reference);
    for (int c = 0; c < candidates.length; c++) {
      // The value observed does not change a posterior variance: any fantasy will do.
      GaussianProcess after = gp.condition(candidates[c], 0.0);
      double removed = 0;
      for (double[] z : reference) {
        removed += gp.predict(z).variance() - after.predict(z).variance();
      }
      assertEquals(removed, reduction[c], 1e-9 * Math.max(1, removed), "candidate " + c);
    }
    // Where nothing was rated (x >= 0.4) a rating teaches more than next to the ratings, and more inside than at the
    // far corner, most of whose neighbourhood lies outside the box.
    assertTrue(reduction[1] > reduction[0] && reduction[1] > reduction[3], java.util.Arrays.toString(reduction));
    assertTrue(reduction[1] > reduction[2], java.util.Arrays.toString(reduction));
  }

  @Test
  void repeatedObservationsAtOnePointAreAveragedAsNoise() {
    // Five ratings at the same point: the posterior mean there is a shrunken average, not any single value.
    double[][] x = {{0.5}, {0.5}, {0.5}, {0.5}, {0.5}};
    double[] y = {1, 2, 1, 2, 1};
    GaussianProcess gp = GaussianProcess.fit(x, y, theta(0.3, 1.0, 0.25));
    // Closed form for identical inputs: mean = sf2 * sum(y) / (n sf2 + sn2).
    assertEquals(1.0 * 7 / (5 * 1.0 + 0.25), gp.predict(new double[] {0.5}).mean(), 1e-10);
    assertArrayEquals(new double[] {0.5}, gp.input(4));
  }

  @Test
  void anObservationWithExtraNoiseIsWeighedByItsPrecision() {
    // A measurement y1 (noise sn2) and a prediction y2 (noise sn2 + e) at one point: the posterior of f there is
    // sf2 (y1 / s1 + y2 / s2) / (1 + sf2 (1 / s1 + 1 / s2)), each value weighed by its precision.
    double sf2 = 1.0;
    double sn2 = 0.05;
    double e = 0.45;
    double[][] x = {{0.5}, {0.5}};
    double[] y = {2.0, -1.0};
    GaussianProcess gp = GaussianProcess.fit(x, y, new double[] {0, e}, theta(0.3, sf2, sn2), false);
    double s1 = sn2;
    double s2 = sn2 + e;
    double precision = 1 / s1 + 1 / s2;
    GaussianProcess.Prediction p = gp.predict(new double[] {0.5});
    assertEquals(sf2 * (y[0] / s1 + y[1] / s2) / (1 + sf2 * precision), p.mean(), 1e-10);
    assertEquals(sf2 / (1 + sf2 * precision), p.variance(), 1e-10);
    assertEquals(sn2 + e, gp.noiseVarianceOf(1), 1e-15);
    assertEquals(sn2, gp.noiseVarianceOf(0), 1e-15);

    // Swapping which of the two is the prediction moves the mean towards the other value.
    GaussianProcess swapped = GaussianProcess.fit(x, y, new double[] {e, 0}, theta(0.3, sf2, sn2), false);
    assertTrue(swapped.predict(new double[] {0.5}).mean() < 0, "the measurement -1 now outweighs the prediction 2");
  }

  @Test
  void noExtraNoiseIsThePlainFitAndTheVarianceBoundKeepsEachObservationsNoise() {
    SplittableRandom random = new SplittableRandom(5);
    double[][] x = randomPoints(random, 12, 2);
    double[] y = new double[x.length];
    double[] extra = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(3 * x[i][0]) + x[i][1];
      extra[i] = i % 3 == 0 ? 0.8 : 0.0;
    }
    KernelHyperparameters h = new KernelHyperparameters(new double[] {-1, -0.7, 0, -4});
    GaussianProcess plain = GaussianProcess.fit(x, y, h);
    GaussianProcess zeros = GaussianProcess.fit(x, y, new double[x.length], h, false);
    GaussianProcess weighted = GaussianProcess.fit(x, y, extra, h, false);
    double[][] q = randomPoints(random, 15, 2);
    double[] mean = new double[q.length];
    double[] exact = new double[q.length];
    double[] bound = new double[q.length];
    double[] boundMean = new double[q.length];
    weighted.predict(q, mean, exact);
    // With every observation in the subset the bound is the exact variance, which needs each one's own noise.
    weighted.predictWithVarianceBound(q, x.length, boundMean, bound);
    for (int i = 0; i < q.length; i++) {
      assertEquals(plain.predict(q[i]).mean(), zeros.predict(q[i]).mean(), 1e-12);
      assertEquals(plain.predict(q[i]).variance(), zeros.predict(q[i]).variance(), 1e-12);
      assertEquals(exact[i], bound[i], 1e-9);
      assertEquals(mean[i], boundMean[i], 1e-9);
      assertTrue(exact[i] >= plain.predict(q[i]).variance() - 1e-12, "noisier data never leave less uncertainty");
    }
  }

  @Test
  void refusesANegativeOrMissingExtraNoise() {
    double[][] x = {{0.1}, {0.9}};
    double[] y = {1, 2};
    KernelHyperparameters h = theta(0.3, 1, 0.1);
    assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(x, y, new double[] {0, -0.1}, h, false));
    assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(x, y, new double[] {0}, h, false));
    assertThrows(IllegalArgumentException.class,
      () -> GaussianProcess.fit(x, y, new double[] {0, Double.NaN}, h, false));
  }

  static double[][] randomPoints(SplittableRandom random, int n, int dims) {
    double[][] x = new double[n][dims];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dims; d++) {
        x[i][d] = random.nextDouble();
      }
    }
    return x;
  }
}
