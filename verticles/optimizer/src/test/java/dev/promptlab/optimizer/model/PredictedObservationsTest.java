package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How predicted observations are weighed against measurements in the surrogate and the optimiser. */
class PredictedObservationsTest {

  private static final SearchSpace SPACE = new SearchSpace(List.of(
    new SearchSpace.Categorical("api", List.of("a", "b")),
    new SearchSpace.Real("strength", 0.1, 0.5),
    new SearchSpace.Real("guidance", 5, 12)));

  private static BayesianOptimizer measured(int n) {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(4), 11);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      double[] natural = SPACE.decode(SPACE.sample(random));
      optimizer.observe(natural, 1 + 3 * Math.exp(-Math.pow((natural[1] - 0.3) / 0.1, 2)) + (natural[0] == 1 ? 0.5 : 0));
    }
    return optimizer;
  }

  private static double[] encoded(int api, double strength, double guidance) {
    return SPACE.encode(new double[] {api, strength, guidance});
  }

  @Test
  void aPredictionsNoiseIsTheFactorTimesTheFittedNoisePlusItsOwnVariance() {
    BayesianOptimizer optimizer = measured(10);
    Surrogate without = optimizer.surrogate();
    PredictedObservation sure = new PredictedObservation(encoded(0, 0.45, 11), 4.5, 0.0);
    PredictedObservation unsure = new PredictedObservation(encoded(1, 0.15, 6), 2.0, 0.64);
    optimizer.usePredicted(List.of(sure, unsure), 4.0);
    assertFalse(optimizer.fitted(), "new predictions need a new fit");
    Surrogate with = optimizer.surrogate();

    double noise = with.hyperparameters().noiseVariance();
    double scale = with.scale();
    assertEquals(12, with.process().size());
    assertEquals(noise, with.process().noiseVarianceOf(0), 1e-15);
    assertEquals(4.0 * noise, with.process().noiseVarianceOf(10), 1e-12);
    assertEquals(4.0 * noise + 0.64 / (scale * scale), with.process().noiseVarianceOf(11), 1e-12);

    // The measurements alone decide the scale, the hyperparameters and the incumbent.
    assertEquals(10, with.observations());
    assertEquals(10, optimizer.observations());
    assertEquals(without.scale(), with.scale(), 0.0);
    // (Refitted from the earlier optimum on the same measurements: the same point, to the minimiser's tolerance.)
    assertArrayEquals(without.hyperparameters().theta(), with.hyperparameters().theta(), 1e-4);
    assertTrue(with.incumbentIndex() < 10);

    // ... while the posterior moves towards the sure prediction where nothing was measured.
    double before = without.predict(encoded(0, 0.45, 11)).mean();
    double after = with.predict(encoded(0, 0.45, 11)).mean();
    assertTrue(after > before + 0.5 * (4.5 - before) * 0.5, "moved from " + before + " to " + after);
  }

  @Test
  void oneMeasurementOutweighsAnEquallyPlacedPrediction() {
    BayesianOptimizer optimizer = measured(10);
    double[] spot = encoded(0, 0.45, 11);
    optimizer.observe(SPACE.decode(spot), 4.0);
    optimizer.usePredicted(List.of(new PredictedObservation(spot, 1.0, 0.0)), 4.0);
    double mean = optimizer.surrogate().predict(spot).mean();
    // Two values at one point: 4 measured, 1 predicted with at least four times the noise. The mean sits on the
    // measurement's side of their midpoint, by the precision weights at least at 4 - 3/5 before shrinkage.
    assertTrue(mean > 2.5, "the measurement 4 outweighs the prediction 1: " + mean);
  }

  @Test
  void unchangedPredictionsKeepTheFitAndAnEmptyListRemovesThem() {
    BayesianOptimizer optimizer = measured(8);
    List<PredictedObservation> predictions = List.of(new PredictedObservation(encoded(1, 0.2, 7), 3.0, 0.3));
    optimizer.usePredicted(predictions, 2.0);
    optimizer.surrogate();
    optimizer.usePredicted(List.of(new PredictedObservation(encoded(1, 0.2, 7), 3.0, 0.3)), 2.0);
    assertTrue(optimizer.fitted(), "the same predictions need no new fit");
    optimizer.usePredicted(List.of(), 2.0);
    assertFalse(optimizer.fitted());
    assertEquals(8, optimizer.surrogate().process().size());
  }

  @Test
  void refusesAFactorBelowOneAndABadPrediction() {
    BayesianOptimizer optimizer = measured(4);
    assertThrows(IllegalArgumentException.class, () -> optimizer.usePredicted(List.of(), 0.5));
    assertThrows(IllegalArgumentException.class, () -> new PredictedObservation(encoded(0, 0.2, 6), Double.NaN, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new PredictedObservation(encoded(0, 0.2, 6), 3, -0.1));
  }
}
