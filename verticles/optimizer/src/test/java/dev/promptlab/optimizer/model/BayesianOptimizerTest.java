package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BayesianOptimizerTest {

  private static final double FLOOR = HyperparameterFitter.Bounds.defaults().minLevelLengthscale();

  private static final SearchSpace SPACE = new SearchSpace(List.of(
    new SearchSpace.Categorical("api", List.of("a", "b")),
    new SearchSpace.Real("strength", 0.1, 0.5),
    new SearchSpace.Real("guidance", 5, 12),
    new SearchSpace.Real("control", 0.7, 0.99)));

  /** A smooth rating surface with its peak at api b, strength 0.3, guidance 9, control 0.9. */
  private static double rating(double[] x) {
    double s = (x[1] - 0.3) / 0.4;
    double g = (x[2] - 9) / 7;
    double c = (x[3] - 0.9) / 0.29;
    return 1 + (x[0] == 1 ? 3.5 : 2.5) * Math.exp(-(s * s + g * g + c * c) / 0.18);
  }

  private static BayesianOptimizer optimizerWithHistory(long seed, int n) {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(6), seed);
    SplittableRandom noise = new SplittableRandom(99);
    for (int i = 0; i < n; i++) {
      double[] x = optimizer.suggest(1, List.of()).points().get(0);
      optimizer.observe(x, Math.min(5, Math.max(1, Math.rint(rating(x) + 0.5 * noise.nextGaussian()))));
    }
    return optimizer;
  }

  @Test
  void sameSeedAndHistoryGiveTheSameSuggestions() {
    BayesianOptimizer first = optimizerWithHistory(42, 12);
    BayesianOptimizer second = optimizerWithHistory(42, 12);
    List<double[]> a = first.suggest(2, List.of()).points();
    List<double[]> b = second.suggest(2, List.of()).points();
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(a.get(i), b.get(i), 0.0);
    }
    assertEquals(first.surrogate().hyperparameters(), second.surrogate().hyperparameters());
  }

  @Test
  void initialDesignComesFirstAndIsSpreadOut() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(8), 7);
    BayesianOptimizer.Batch batch = optimizer.suggest(8, List.of());
    assertEquals(BayesianOptimizer.Source.INITIAL_DESIGN, batch.source());
    assertEquals(8, optimizer.designIssued());
    int apiB = 0;
    for (int i = 0; i < 8; i++) {
      double[] p = batch.points().get(i);
      apiB += (int) p[0];
      for (int j = 0; j < i; j++) {
        assertTrue(SearchSpace.squaredDistance(SPACE.encode(p), SPACE.encode(batch.points().get(j))) > 0.01);
      }
    }
    assertEquals(4, apiB);
  }

  @Test
  void batchPointsAreDistinctAndAvoidPendingOnes() {
    BayesianOptimizer optimizer = optimizerWithHistory(5, 15);
    List<double[]> pending = optimizer.suggest(2, List.of()).points();
    BayesianOptimizer.Batch batch = optimizer.suggest(4, pending);
    assertEquals(BayesianOptimizer.Source.MODEL, batch.source());
    List<double[]> all = new ArrayList<>(pending);
    all.addAll(batch.points());
    double min2 = optimizer.settings().minSeparation() * optimizer.settings().minSeparation();
    for (int i = 0; i < all.size(); i++) {
      for (int j = 0; j < i; j++) {
        assertTrue(SearchSpace.squaredDistance(SPACE.encode(all.get(i)), SPACE.encode(all.get(j))) >= min2,
          "points " + i + " and " + j + " coincide");
      }
    }
    for (double[] p : batch.points()) {
      assertTrue(p[1] >= 0.1 && p[1] <= 0.5 && p[2] >= 5 && p[2] <= 12 && p[3] >= 0.7 && p[3] <= 0.99);
    }
  }

  @Test
  void findsTheGoodRegionOfASmoothNoisySurface() {
    BayesianOptimizer optimizer = optimizerWithHistory(3, 30);
    Surrogate model = optimizer.surrogate();
    double[] best = SPACE.decode(model.incumbent());
    // The incumbent by posterior mean sits in the high region and its mean is a sensible rating.
    assertTrue(rating(best) > 3.0, "incumbent rating " + rating(best));
    assertTrue(model.incumbentMean() > 2.5 && model.incumbentMean() < 5.5);
  }

  @Test
  void repeatedRatingsOfOnePointAreKeptAsNoise() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(3), 1);
    double[] point = {1, 0.3, 9, 0.9};
    for (double r : new double[] {4, 5, 3, 4, 4}) {
      optimizer.observe(point, r);
    }
    optimizer.observe(new double[] {0, 0.1, 5, 0.7}, 1);
    optimizer.observe(new double[] {0, 0.5, 12, 0.99}, 2);
    assertEquals(7, optimizer.observations());
    Surrogate model = optimizer.surrogate();
    assertArrayEquals(SPACE.encode(point), model.incumbent(), 0.0);
    // Posterior mean near the average of the repeated ratings, not the single 5.
    assertTrue(model.incumbentMean() > 3.0 && model.incumbentMean() < 4.6, "mean " + model.incumbentMean());
  }

  /** Noise-free ratings of a smooth surface fit with little noise; a floor keeps the noise at least that. */
  @Test
  void aNoiseFloorKeepsTheFittedNoiseAtOrAboveIt() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(6), 3);
    for (double[] z : SpaceFillingDesign.points(SPACE, 14, new SplittableRandom(3))) {
      double[] x = SPACE.decode(z);
      optimizer.observe(x, rating(x));
    }
    Surrogate free = optimizer.surrogate();
    double freeNoise = free.hyperparameters().noiseVariance() * free.scale() * free.scale();
    assertTrue(freeNoise < 0.01, "noise variance without a floor " + freeNoise);

    optimizer.noiseFloor(0.3);
    Surrogate floored = optimizer.surrogate();
    assertTrue(floored != free, "a new floor refits");
    double flooredNoise = floored.hyperparameters().noiseVariance() * floored.scale() * floored.scale();
    assertTrue(flooredNoise >= 0.09 - 1e-9, "noise variance with a floor of 0.3 stars (sd) " + flooredNoise);

    optimizer.noiseFloor(0.3);
    assertTrue(optimizer.surrogate() == floored, "the same floor keeps the fit");
    assertThrows(IllegalArgumentException.class, () -> optimizer.noiseFloor(-0.1));
    assertThrows(IllegalArgumentException.class, () -> optimizer.noiseFloor(Double.NaN));
  }

  /** The two arms of an A/B test share a setting: their ratings count once towards the initial design. */
  @Test
  void theInitialDesignCountsDistinctSettingsNotRatings() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(4), 5);
    for (int i = 0; i < 3; i++) {
      double[] shared = optimizer.suggest(1, List.of()).points().get(0);
      optimizer.observe(shared, 2);
      optimizer.observe(shared, 3);
    }
    assertEquals(6, optimizer.observations());
    assertEquals(3, optimizer.distinctObservations());
    assertTrue(optimizer.inInitialDesign());
    BayesianOptimizer.Batch batch = optimizer.suggest(1, List.of());
    assertEquals(BayesianOptimizer.Source.INITIAL_DESIGN, batch.source());
    optimizer.observe(batch.points().get(0), 1);
    assertEquals(4, optimizer.distinctObservations());
    assertFalse(optimizer.inInitialDesign());
    assertEquals(BayesianOptimizer.Source.MODEL, optimizer.suggest(1, List.of()).source());
  }

  /**
   * Where one API's ratings show a peak and the other API was rated only far from it, the model expects the other API
   * to do better at the peak than far from it (the levels stay correlated), so it is worth trying there.
   */
  @Test
  void whatOneApiShowsIsAPriorForTheOther() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(4), 6);
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < 30; i++) {
      double[] x = {i < 20 ? 0 : 1, 0.1 + 0.4 * random.nextDouble(), 5 + 7 * random.nextDouble(),
        0.7 + 0.29 * random.nextDouble()};
      double d2 = Math.pow((x[1] - 0.3) / 0.08, 2) + Math.pow((x[2] - 8.5) / 1.4, 2)
        + Math.pow((x[3] - 0.85) / 0.06, 2);
      if (i >= 20 && d2 < 4) {
        continue;
      }
      optimizer.observe(x, 1.5 + 3 * Math.exp(-0.5 * d2));
    }
    Surrogate model = optimizer.surrogate();
    KernelHyperparameters h = model.hyperparameters();
    assertTrue(h.lengthscale(0) >= FLOOR - 1e-9 && h.lengthscale(1) >= FLOOR - 1e-9, h.toString());
    GaussianProcess.Prediction other = model.process().predict(SPACE.encode(new double[] {1, 0.3, 8.5, 0.85}));
    GaussianProcess.Prediction far = model.process().predict(SPACE.encode(new double[] {1, 0.1, 5, 0.7}));
    assertTrue(model.fromStandard(other.mean()) > model.fromStandard(far.mean()) + 0.3,
      "the other API at the peak " + model.fromStandard(other.mean()) + ", far from it "
        + model.fromStandard(far.mean()));
  }

  /** Flat low ratings, all at low strength (both APIs): what a study that has found nothing yet has seen. */
  private static BayesianOptimizer flatAtLowStrength() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults().withInitialDesign(4), 8);
    SplittableRandom random = new SplittableRandom(8);
    for (int i = 0; i < 16; i++) {
      optimizer.observe(new double[] {i % 2, 0.1 + 0.1 * random.nextDouble(), 5 + 7 * random.nextDouble(),
        0.7 + 0.29 * random.nextDouble()}, 1 + random.nextInt(2));
    }
    return optimizer;
  }

  /**
   * A spread point goes where a rating would teach the model most (here: high strength, all ratings being at low
   * strength), keeps away from the pending point and the batch's other point, and leaves that other point as the
   * acquisition chose it.
   */
  @Test
  void aSpreadPointGoesWhereNothingWasRated() {
    List<double[]> pending = List.of(new double[] {0, 0.5, 12, 0.99});
    List<double[]> byModel = flatAtLowStrength().suggest(2, 0, 0, pending).points();
    List<double[]> spread = flatAtLowStrength().suggest(2, 0, 1, pending).points();
    assertArrayEquals(byModel.get(0), spread.get(0), 0.0);
    assertTrue(spread.get(1)[1] > 0.3, "strength " + spread.get(1)[1] + " far from the rated 0.1-0.2");
    BayesianOptimizer optimizer = flatAtLowStrength();
    GaussianProcess before = optimizer.surrogate().process()
      .condition(SPACE.encode(pending.get(0)), 0).condition(SPACE.encode(spread.get(0)), 0);
    List<double[]> taken = new ArrayList<>(optimizer.encodedInputs());
    taken.add(SPACE.encode(pending.get(0)));
    taken.add(SPACE.encode(spread.get(0)));
    // Over a fine grid of the box (both APIs): the uncertainty a rating at the spread point leaves, against what a
    // rating at the acquisition's own second point leaves, and at the grid's point farthest from everything.
    List<double[]> grid = grid();
    double[] farthest = null;
    for (double[] z : grid) {
      if (farthest == null || nearest(z, taken) > nearest(farthest, taken)) {
        farthest = z;
      }
    }
    double bySpread = summedVariance(before.condition(SPACE.encode(spread.get(1)), 0), grid);
    double byModel2 = summedVariance(before.condition(SPACE.encode(byModel.get(1)), 0), grid);
    double byFarthest = summedVariance(before.condition(farthest, 0), grid);
    assertTrue(bySpread < byModel2, bySpread + " left by the spread point, " + byModel2 + " by the acquisition's");
    assertTrue(bySpread < byFarthest, bySpread + " left by the spread point, " + byFarthest + " by the farthest");
    assertEquals(BayesianOptimizer.Source.MODEL, flatAtLowStrength().suggest(2, 0, 1, pending).source());
  }

  /** A 2 x 13^3 grid of the box (both APIs), encoded. */
  private static List<double[]> grid() {
    List<double[]> grid = new ArrayList<>();
    for (int api = 0; api < 2; api++) {
      for (int i = 0; i <= 12; i++) {
        for (int j = 0; j <= 12; j++) {
          for (int k = 0; k <= 12; k++) {
            grid.add(SPACE.encode(new double[] {api, 0.1 + 0.4 * i / 12, 5 + 7.0 * j / 12, 0.7 + 0.29 * k / 12}));
          }
        }
      }
    }
    return grid;
  }

  private static double summedVariance(GaussianProcess process, List<double[]> points) {
    double sum = 0;
    for (double[] z : points) {
      sum += process.predict(z).variance();
    }
    return sum;
  }

  private static double nearest(double[] z, List<double[]> points) {
    double d = Double.POSITIVE_INFINITY;
    for (double[] p : points) {
      d = Math.min(d, Math.sqrt(SearchSpace.squaredDistance(z, p)));
    }
    return d;
  }

  /**
   * An exploring point is where the upper confidence bound {@code mean + width * sd} is highest over the whole box
   * (checked on a grid of it); a wider bound trades mean for uncertainty, and expected improvement chooses otherwise.
   */
  @Test
  void anExploringPointHasTheHighestUpperConfidenceBound() {
    OptimizerSettings settings = OptimizerSettings.defaults().withInitialDesign(4);
    double[] point = ucbPoint(settings.withAcquisition(OptimizerSettings.Acquisition.UCB, 3.0));
    double[] narrow = ucbPoint(settings.withAcquisition(OptimizerSettings.Acquisition.UCB, 0.5));
    double[] byEi = ucbPoint(settings.withAcquisition(OptimizerSettings.Acquisition.EI, 3.0));
    GaussianProcess process = rated(settings).surrogate().process();
    double gridBest = Double.NEGATIVE_INFINITY;
    for (double[] z : grid()) {
      gridBest = Math.max(gridBest, bound(process, z, 3.0));
    }
    double chosen = bound(process, SPACE.encode(point), 3.0);
    assertTrue(chosen >= gridBest - 1e-3, "bound " + chosen + " at the point, " + gridBest + " on the grid");
    assertTrue(bound(process, SPACE.encode(byEi), 3.0) < gridBest - 0.05, "expected improvement's point differs");
    GaussianProcess.Prediction wide = process.predict(SPACE.encode(point));
    GaussianProcess.Prediction close = process.predict(SPACE.encode(narrow));
    assertTrue(close.mean() > wide.mean() && close.sd() < wide.sd(),
      "width 0.5: mean " + close.mean() + " sd " + close.sd() + "; width 3: mean " + wide.mean() + " sd " + wide.sd());
  }

  /** Sixteen ratings of the smooth surface at random settings. */
  private static BayesianOptimizer rated(OptimizerSettings settings) {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, settings, 12);
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 16; i++) {
      double[] x = SPACE.decode(SPACE.sample(random));
      optimizer.observe(x, rating(x));
    }
    return optimizer;
  }

  private static double[] ucbPoint(OptimizerSettings settings) {
    return rated(settings).suggest(1, List.of()).points().get(0);
  }

  private static double bound(GaussianProcess process, double[] z, double width) {
    GaussianProcess.Prediction p = process.predict(z);
    return p.mean() + width * p.sd();
  }

  /** Exploiting points come first; a spread point replaces only one that would explore. */
  @Test
  void spreadNeverTakesAnExploitingPoint() {
    List<double[]> exploiting = flatAtLowStrength().suggest(2, 2, 0, List.of()).points();
    assertArrayEquals(exploiting.get(1), flatAtLowStrength().suggest(2, 2, 1, List.of()).points().get(1), 0.0);
    List<double[]> byModel = flatAtLowStrength().suggest(2, 1, 0, List.of()).points();
    List<double[]> mixed = flatAtLowStrength().suggest(2, 1, 1, List.of()).points();
    assertArrayEquals(byModel.get(0), mixed.get(0), 0.0, "the exploiting point stays");
    GaussianProcess before = flatAtLowStrength().surrogate().process().condition(SPACE.encode(mixed.get(0)), 0);
    List<double[]> grid = grid();
    double bySpread = summedVariance(before.condition(SPACE.encode(mixed.get(1)), 0), grid);
    double byModel2 = summedVariance(before.condition(SPACE.encode(byModel.get(1)), 0), grid);
    assertTrue(bySpread < byModel2, "the exploring point spreads: " + bySpread + " left, by the acquisition " + byModel2);
  }

  @Test
  void refusesToModelWithoutObservations() {
    BayesianOptimizer optimizer = new BayesianOptimizer(SPACE, OptimizerSettings.defaults(), 1);
    assertThrows(ModelFailure.class, optimizer::surrogate);
    assertThrows(IllegalArgumentException.class, () -> optimizer.suggest(0, List.of()));
    assertThrows(IllegalArgumentException.class, () -> optimizer.suggest(2, 0, -1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> optimizer.suggest(2, -1, 0, List.of()));
  }
}
