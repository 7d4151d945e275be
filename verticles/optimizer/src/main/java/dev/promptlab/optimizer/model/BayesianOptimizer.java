package dev.promptlab.optimizer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gaussian-process Bayesian optimisation (maximisation) over a {@link SearchSpace}: a space-filling
 * initial design, then expected improvement on a Matérn-5/2 ARD model refitted after every new
 * observation (hyperparameters warm-started from the previous fit).
 *
 * <p>Every observation is kept as it came: several values at the same point, or from different
 * raters, are independent noisy measurements the model averages through its learned noise variance.
 * Random numbers are derived from the seed and the history (number of observations and suggestions),
 * so a given seed and history always give the same suggestions. Not thread-safe: callers serialise.
 *
 * <p>Predicted observations ({@link #usePredicted}) are kept apart from the measurements: they join the model
 * (down-weighted, see {@link Surrogate}) but not {@link #observations()}, {@link #values()} or the initial design.
 */
public final class BayesianOptimizer {

  /** Where suggested points came from. */
  public enum Source { INITIAL_DESIGN, MODEL }

  /** Suggested points (natural coordinates) and their source. */
  public record Batch(List<double[]> points, Source source) {
  }

  private final SearchSpace space;
  private final OptimizerSettings settings;
  private final long seed;
  private final HyperparameterFitter fitter;
  private final AcquisitionSearch acquisition;
  private final double[] designShift;
  private final List<double[]> inputs = new ArrayList<>();
  private final List<Double> values = new ArrayList<>();
  /** The distinct observed points (encoded): the initial design counts settings, not ratings. */
  private final Set<List<Double>> distinct = new HashSet<>();
  private List<PredictedObservation> predicted = List.of();
  private double predictedNoiseFactor = 1.0;
  private KernelHyperparameters warmStart;
  private Surrogate surrogate;
  /** Lower bound of the noise standard deviation, in the units of the values (0: none). */
  private double noiseFloor;
  private int designIssued;
  private long suggestions;

  public BayesianOptimizer(SearchSpace space, OptimizerSettings settings, long seed) {
    this.space = space;
    this.settings = settings;
    this.seed = seed;
    this.fitter = new HyperparameterFitter(settings.bounds(), settings.prior(), settings.restarts(),
      settings.fitIterations(), settings.restartSubsample(), settings.estimateMean())
      .withLevelColumns(space.levelColumns());
    this.acquisition = new AcquisitionSearch(space, settings.searchSettings());
    this.designShift = SpaceFillingDesign.shift(space, new SplittableRandom(seed));
  }

  public SearchSpace space() {
    return space;
  }

  public OptimizerSettings settings() {
    return settings;
  }

  /** Records one measured value at a natural point. */
  public void observe(double[] natural, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("observed value must be finite");
    }
    double[] encoded = space.encode(natural);
    inputs.add(encoded);
    values.add(value);
    distinct.add(Arrays.stream(encoded).boxed().toList());
    surrogate = null;
  }

  /**
   * Replaces the observed values (same points, same order) — when the correction applied to the raw measurements
   * changed. The model is refitted on next use only if a value differs.
   */
  public void revalue(double[] corrected) {
    if (corrected.length != values.size()) {
      throw new IllegalArgumentException("expected " + values.size() + " values, got " + corrected.length);
    }
    for (int i = 0; i < corrected.length; i++) {
      if (!Double.isFinite(corrected[i])) {
        throw new IllegalArgumentException("observed value must be finite");
      }
      if (values.get(i) != corrected[i]) {
        values.set(i, corrected[i]);
        surrogate = null;
      }
    }
  }

  public int observations() {
    return values.size();
  }

  /**
   * Replaces the predicted observations the model learns beside the measurements, each with noise variance
   * {@code noiseFactor} times the fitted one plus its own; an empty list removes them. The model is refitted on next
   * use only if something changed.
   */
  public void usePredicted(List<PredictedObservation> observations, double noiseFactor) {
    if (!(noiseFactor >= 1) || !Double.isFinite(noiseFactor)) {
      throw new IllegalArgumentException("the noise factor of predictions must be finite and >= 1");
    }
    List<PredictedObservation> copy = List.copyOf(observations);
    if (!copy.equals(predicted) || (!copy.isEmpty() && noiseFactor != predictedNoiseFactor)) {
      surrogate = null;
    }
    predicted = copy;
    predictedNoiseFactor = noiseFactor;
  }

  /** The predicted observations the model learns beside the measurements. */
  public List<PredictedObservation> predicted() {
    return predicted;
  }

  /** Encoded observed points, in observation order (read-only view). */
  public List<double[]> encodedInputs() {
    return java.util.Collections.unmodifiableList(inputs);
  }

  /** Observed values, in observation order (read-only view). */
  public List<Double> values() {
    return java.util.Collections.unmodifiableList(values);
  }

  /**
   * True while suggestions come from the initial design: until that many distinct settings are rated. Repeated ratings
   * of one setting (the two arms of an A/B test share theirs) measure its noise, not the shape of the space.
   */
  public boolean inInitialDesign() {
    return distinct.size() < settings.initialDesign();
  }

  /** How many distinct settings were rated. */
  public int distinctObservations() {
    return distinct.size();
  }

  /**
   * Keeps the model's noise standard deviation at or above {@code sd} (in the units of the observed values; 0 for
   * none) from the next fit on: a noise measured apart from the fit, which a small sample cannot argue away. The floor
   * is held within the fitter's box, at most half its upper noise bound, so a noise larger than that is not kept.
   */
  public void noiseFloor(double sd) {
    if (!(sd >= 0) || !Double.isFinite(sd)) {
      throw new IllegalArgumentException("the noise floor must be finite and >= 0");
    }
    if (sd != noiseFloor) {
      noiseFloor = sd;
      surrogate = null;
    }
  }

  /** The noise floor set last (standard deviation in the units of the observed values; 0: none). */
  public double noiseFloor() {
    return noiseFloor;
  }

  /**
   * The model of the current observations, fitted on first use after a change. Throws
   * {@link ModelFailure} when there are no observations or the fit fails numerically.
   */
  public Surrogate surrogate() {
    if (surrogate == null) {
      if (values.isEmpty()) {
        throw new ModelFailure("no observations yet");
      }
      double[][] x = inputs.toArray(new double[0][]);
      double[] y = values.stream().mapToDouble(Double::doubleValue).toArray();
      surrogate = Surrogate.fit(x, y, predicted, predictedNoiseFactor, noiseFloor, fitter, warmStart,
        random(0x5EEDF17L));
      warmStart = surrogate.hyperparameters();
    }
    return surrogate;
  }

  /** True when a fitted model is cached (no observation arrived since the last fit). */
  public boolean fitted() {
    return surrogate != null;
  }

  /**
   * {@code count} distinct points to evaluate next. {@code pending} are natural points suggested before
   * whose values have not arrived; new points keep away from them. Throws {@link ModelFailure} when the
   * model cannot answer (the caller decides how to fall back).
   */
  public Batch suggest(int count, List<double[]> pending) {
    return suggest(count, 0, pending);
  }

  /**
   * As {@link #suggest(int, List)}, with the first {@code exploit} points (after the initial design) at
   * the highest posterior mean near the best observed settings instead of by expected improvement.
   */
  public Batch suggest(int count, int exploit, List<double[]> pending) {
    return suggest(count, exploit, 0, pending);
  }

  /**
   * As {@link #suggest(int, int, List)}, with the last {@code spread} of the points that do not exploit placed where
   * a rating would lower the model's uncertainty over the whole box the most (see
   * {@link AcquisitionSearch#suggest(Surrogate, List, int, int, int, java.util.random.RandomGenerator)}) instead of by
   * expected improvement.
   */
  public Batch suggest(int count, int exploit, int spread, List<double[]> pending) {
    if (count < 1 || exploit < 0 || spread < 0) {
      throw new IllegalArgumentException("count must be at least 1, exploit and spread not negative");
    }
    suggestions++;
    if (inInitialDesign()) {
      List<double[]> points = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        points.add(space.decode(SpaceFillingDesign.point(space, designIssued++, designShift)));
      }
      return new Batch(points, Source.INITIAL_DESIGN);
    }
    Surrogate model = surrogate();
    List<double[]> pendingEncoded = pending.stream().map(space::encode).toList();
    List<double[]> encoded = acquisition.suggest(model, pendingEncoded, count, Math.min(exploit, count),
      Math.min(spread, count), random(suggestions));
    return new Batch(encoded.stream().map(space::decode).toList(), Source.MODEL);
  }

  /** Warm start for the next fit (the last fitted hyperparameters), or null. */
  public KernelHyperparameters warmStart() {
    return warmStart;
  }

  /** Restores a warm start saved from an earlier run; ignored when it does not match the space. */
  public void restoreWarmStart(KernelHyperparameters hyperparameters) {
    if (hyperparameters != null && hyperparameters.inputs() == space.encodedSize()) {
      this.warmStart = hyperparameters;
    }
  }

  /** How many initial-design points were handed out (the design continues from there). */
  public int designIssued() {
    return designIssued;
  }

  public void restoreDesignIssued(int issued) {
    this.designIssued = Math.max(0, issued);
  }

  /** A generator determined by the seed, the number of observations and {@code salt}. */
  private SplittableRandom random(long salt) {
    long h = seed * 0x9E3779B97F4A7C15L + values.size() * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
    return new SplittableRandom(h ^ (h >>> 31));
  }
}
