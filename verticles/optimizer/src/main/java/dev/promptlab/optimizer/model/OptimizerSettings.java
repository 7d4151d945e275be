package dev.promptlab.optimizer.model;

/**
 * Every knob of the Bayesian optimiser in one place.
 *
 * @param initialDesign     distinct settings rated from the space-filling design before the model is used (repeated
 *                          ratings of one setting count once)
 * @param candidates        space-filling candidates scored by the acquisition per suggestion
 * @param localCandidates   extra candidates drawn around the best observed points
 * @param localSpread       standard deviation of those draws, in unit-cube coordinates
 * @param polishStarts      best candidates refined by gradient ascent of the acquisition
 * @param polishIterations  quasi-Newton iterations per refinement
 * @param acquisition       what an exploring point maximises: the upper confidence bound or expected improvement
 * @param noiseMargin       EI margin {@code xi} in units of the learned noise standard deviation
 *                          ({@code xi = noiseMargin * sqrt(noise variance)}, standardised outputs); EI only
 * @param confidenceWidth   the upper confidence bound's {@code width} in {@code mean + width * sd} (standardised
 *                          outputs); UCB only
 * @param minSeparation     minimum unit-cube distance between points of one batch (and pending points)
 * @param restarts          hyperparameter fits per model update (warm start, default, random)
 * @param fitIterations     quasi-Newton iterations per hyperparameter fit
 * @param restartSubsample  above this many observations the extra restarts run on a random subset of
 *                          this size; their optima must then beat the warm start on all data
 * @param bounds            box of the kernel hyperparameters
 * @param prior             weak priors on the hyperparameters ({@link HyperparameterPrior#none()} for plain
 *                          maximum likelihood)
 * @param estimateMean      estimate the GP's constant prior mean by generalised least squares (otherwise
 *                          the mean of the observed values)
 */
public record OptimizerSettings(int initialDesign, int candidates, int localCandidates, double localSpread,
                                int polishStarts, int polishIterations, Acquisition acquisition,
                                double noiseMargin, double confidenceWidth, double minSeparation, int restarts,
                                int fitIterations, int restartSubsample,
                                HyperparameterFitter.Bounds bounds, HyperparameterPrior prior,
                                boolean estimateMean) {

  /** What an exploring point maximises. */
  public enum Acquisition {
    /** The upper confidence bound {@code mean + width * sd}. */
    UCB("ucb"),
    /** Log expected improvement above the best posterior mean among the observed points, plus a noise margin. */
    EI("ei");

    private final String key;

    Acquisition(String key) {
      this.key = key;
    }

    /** The name in configuration. */
    public String key() {
      return key;
    }

    /** The acquisition of a configuration name; refuses an unknown one. */
    public static Acquisition fromKey(String key) {
      for (Acquisition a : values()) {
        if (a.key.equals(key)) {
          return a;
        }
      }
      throw new IllegalArgumentException("acquisition must be \"ucb\" or \"ei\", not \"" + key + "\"");
    }
  }

  public OptimizerSettings {
    if (acquisition == null) {
      throw new IllegalArgumentException("acquisition must be \"ucb\" or \"ei\"");
    }
    if (!(confidenceWidth > 0) || !Double.isFinite(confidenceWidth)) {
      throw new IllegalArgumentException("ucb_width must be a positive number");
    }
    if (initialDesign < 1) {
      throw new IllegalArgumentException("initial_design must be at least 1");
    }
    if (candidates < 1 || localCandidates < 0 || polishStarts < 0 || polishIterations < 0) {
      throw new IllegalArgumentException("candidate and polish counts must be positive");
    }
    if (restarts < 1 || fitIterations < 1 || restartSubsample < 10) {
      throw new IllegalArgumentException("restarts and fit_iterations must be at least 1, restart_subsample at least 10");
    }
    if (!(minSeparation >= 0) || !(localSpread > 0) || !(noiseMargin >= 0)) {
      throw new IllegalArgumentException("min_separation and noise_margin must be >= 0, local_spread > 0");
    }
  }

  /**
   * The defaults, chosen on the noisy rating proxy of the benchmark with seeds 100-259 (the reported
   * seeds 0-9 were not used to choose), the noise margin then raised from 0.5 to 1.5 on the
   * simulated-trainer benchmark's tuning seeds 100-105 (reported: 0-3); the upper confidence bound (width 3) then
   * replaced expected improvement on the simulated-trainer benchmark's sets 100-431, checked on 500-1131: see the
   * module README.
   */
  public static OptimizerSettings defaults() {
    return new OptimizerSettings(8, 2000, 600, 0.15, 20, 50, Acquisition.UCB, 1.5, 3.0, 0.05, 3, 200, 150,
      HyperparameterFitter.Bounds.defaults(), HyperparameterPrior.defaults(), false);
  }

  public OptimizerSettings withInitialDesign(int size) {
    return new OptimizerSettings(size, candidates, localCandidates, localSpread, polishStarts, polishIterations,
      acquisition, noiseMargin, confidenceWidth, minSeparation, restarts, fitIterations, restartSubsample, bounds, prior,
      estimateMean);
  }

  public OptimizerSettings withNoiseMargin(double margin) {
    return new OptimizerSettings(initialDesign, candidates, localCandidates, localSpread, polishStarts, polishIterations,
      acquisition, margin, confidenceWidth, minSeparation, restarts, fitIterations, restartSubsample, bounds, prior,
      estimateMean);
  }

  /** The same settings with another acquisition ({@code width} is the upper confidence bound's). */
  public OptimizerSettings withAcquisition(Acquisition rule, double width) {
    return new OptimizerSettings(initialDesign, candidates, localCandidates, localSpread, polishStarts, polishIterations,
      rule, noiseMargin, width, minSeparation, restarts, fitIterations, restartSubsample, bounds, prior, estimateMean);
  }

  AcquisitionSearch.Settings searchSettings() {
    return new AcquisitionSearch.Settings(candidates, localCandidates, localSpread, polishStarts, polishIterations,
      acquisition, noiseMargin, confidenceWidth, minSeparation);
  }
}
