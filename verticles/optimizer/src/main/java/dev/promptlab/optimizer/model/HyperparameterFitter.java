package dev.promptlab.optimizer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses kernel hyperparameters by maximising the marginal likelihood (minimising its negative) inside
 * a box, from several starts: the previous optimum (warm start), the default point and random points.
 * The box keeps the model away from degenerate fits: lengthscales between a fraction of the cube and
 * many cubes, a noise variance that never quite vanishes.
 */
public final class HyperparameterFitter {

  /**
   * Box of the log-hyperparameters, for standardised outputs and unit-cube inputs. The one-hot columns of a categorical
   * dimension have a higher floor, {@code minLevelLengthscale}: two levels then stay correlated at the same setting of
   * the other inputs (at least about 0.3 at the default 1.0), so what is learnt of one level is a weak prior for the
   * other instead of each level being a separate function to search from scratch (see the module README).
   */
  public record Bounds(double minLengthscale, double maxLengthscale, double minSignalVariance,
                       double maxSignalVariance, double minNoiseVariance, double maxNoiseVariance,
                       double minLevelLengthscale) {

    public Bounds {
      if (!(minLengthscale > 0 && minLengthscale <= maxLengthscale && minLevelLengthscale >= minLengthscale
        && minLevelLengthscale <= maxLengthscale)) {
        throw new IllegalArgumentException(
          "lengthscale bounds must be positive and ordered, the level floor within them");
      }
    }

    public static Bounds defaults() {
      return new Bounds(1e-2, 1e1, 5e-2, 2e1, 1e-6, 1.0, 1.0);
    }

    double[] lower(int inputs, int[] levelColumns) {
      double[] b = box(inputs, minLengthscale, minSignalVariance, minNoiseVariance);
      for (int column : levelColumns) {
        b[column] = Math.log(minLevelLengthscale);
      }
      return b;
    }

    double[] upper(int inputs) {
      return box(inputs, maxLengthscale, maxSignalVariance, maxNoiseVariance);
    }

    private static double[] box(int inputs, double lengthscale, double signal, double noise) {
      double[] b = new double[inputs + 2];
      for (int d = 0; d < inputs; d++) {
        b[d] = Math.log(lengthscale);
      }
      b[inputs] = Math.log(signal);
      b[inputs + 1] = Math.log(noise);
      return b;
    }
  }

  /** The chosen hyperparameters, the minimised objective (negative log marginal likelihood plus prior) and the evaluations spent. */
  public record Fit(KernelHyperparameters hyperparameters, double objective, int evaluations) {
  }

  private final Bounds bounds;
  private final HyperparameterPrior prior;
  private final int restarts;
  private final int maxIterations;
  private final int subsample;
  private final boolean estimateMean;
  /** The encoded columns that are levels of a categorical (their lengthscale floor is the level one). */
  private final int[] levelColumns;

  /**
   * @param restarts      number of starts per fit (warm start and default count towards it)
   * @param maxIterations quasi-Newton iterations per start
   * @param subsample     above this many observations only the first start runs on all data; the other
   *                      starts run on a random subset of this size and must then beat it on all data
   * @param estimateMean  profile a constant prior mean out of the likelihood (see {@link MarginalLikelihood})
   */
  public HyperparameterFitter(Bounds bounds, HyperparameterPrior prior, int restarts, int maxIterations,
                              int subsample, boolean estimateMean) {
    this(bounds, prior, restarts, maxIterations, subsample, estimateMean, new int[0]);
  }

  private HyperparameterFitter(Bounds bounds, HyperparameterPrior prior, int restarts, int maxIterations,
                               int subsample, boolean estimateMean, int[] levelColumns) {
    if (restarts < 1) {
      throw new IllegalArgumentException("restarts must be at least 1");
    }
    this.bounds = bounds;
    this.prior = prior;
    this.restarts = restarts;
    this.maxIterations = maxIterations;
    this.subsample = subsample;
    this.estimateMean = estimateMean;
    this.levelColumns = levelColumns.clone();
  }

  /** This fitter with {@code columns} (encoded inputs) held to the bounds' level lengthscale floor. */
  public HyperparameterFitter withLevelColumns(int[] columns) {
    return new HyperparameterFitter(bounds, prior, restarts, maxIterations, subsample, estimateMean, columns);
  }

  /**
   * This fitter with the noise variance held at or above {@code minNoiseVariance} (standardised outputs), e.g. a
   * rating noise measured apart from the fit. Kept within the box: at least its lower bound, and at most half its
   * upper bound, so the fit still chooses the noise above the floor.
   */
  public HyperparameterFitter withNoiseAtLeast(double minNoiseVariance) {
    double floor = Math.max(bounds.minNoiseVariance(), Math.min(bounds.maxNoiseVariance() / 2, minNoiseVariance));
    Bounds raised = new Bounds(bounds.minLengthscale(), bounds.maxLengthscale(), bounds.minSignalVariance(),
      bounds.maxSignalVariance(), floor, bounds.maxNoiseVariance(), bounds.minLevelLengthscale());
    return new HyperparameterFitter(raised, prior, restarts, maxIterations, subsample, estimateMean, levelColumns);
  }

  /** The box the hyperparameters are fitted in. */
  public Bounds bounds() {
    return bounds;
  }

  public boolean estimatesMean() {
    return estimateMean;
  }

  /**
   * Fits hyperparameters to {@code outputs} (standardised) at {@code inputs} (encoded). Throws
   * {@link ModelFailure} when no start gives a finite likelihood.
   */
  public Fit fit(double[][] inputs, double[] outputs, KernelHyperparameters warmStart, RandomGenerator random) {
    int n = inputs.length;
    int dims = inputs[0].length;
    for (int column : levelColumns) {
      if (column < 0 || column >= dims) {
        throw new IllegalArgumentException("level column " + column + " is not one of the " + dims + " inputs");
      }
    }
    double[] lower = bounds.lower(dims, levelColumns);
    double[] upper = bounds.upper(dims);
    List<double[]> starts = new ArrayList<>();
    if (warmStart != null && warmStart.inputs() == dims) {
      starts.add(warmStart.theta());
    }
    starts.add(KernelHyperparameters.defaults(dims).theta());
    while (starts.size() < restarts) {
      double[] t = new double[dims + 2];
      for (int i = 0; i < t.length; i++) {
        t[i] = lower[i] + random.nextDouble() * (upper[i] - lower[i]);
      }
      starts.add(t);
    }
    starts = starts.subList(0, Math.min(restarts, starts.size()));
    BoundedMinimizer.Objective likelihood = objective(new MarginalLikelihood(inputs, outputs, estimateMean));
    BoundedMinimizer minimizer = new BoundedMinimizer(lower, upper, maxIterations, 2e-9, 1e-5);
    BoundedMinimizer.Result best = null;
    int evaluations = 0;
    boolean large = n > subsample;
    for (int s = 0; s < starts.size(); s++) {
      BoundedMinimizer.Result result;
      if (!large || s == 0) {
        result = minimizer.minimize(likelihood, starts.get(s));
        evaluations += result.evaluations();
      } else {
        // A restart on a subset finds another basin cheaply; it is only kept if it wins on all the data.
        BoundedMinimizer.Result local = minimizer.minimize(objective(subset(inputs, outputs, random)), starts.get(s));
        double full = valueOrInfinity(likelihood, local.point());
        evaluations++;
        if (best != null && !(full < best.value())) {
          continue;
        }
        result = minimizer.minimize(likelihood, local.point());
        evaluations += result.evaluations();
      }
      if (Double.isFinite(result.value()) && (best == null || result.value() < best.value())) {
        best = result;
      }
    }
    if (best == null) {
      throw new ModelFailure("the marginal likelihood could not be evaluated at any start");
    }
    return new Fit(new KernelHyperparameters(best.point()), best.value(), evaluations);
  }

  private MarginalLikelihood subset(double[][] inputs, double[] outputs, RandomGenerator random) {
    int n = inputs.length;
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    for (int i = 0; i < subsample; i++) {
      int j = i + random.nextInt(n - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    double[][] x = new double[subsample][];
    double[] y = new double[subsample];
    for (int i = 0; i < subsample; i++) {
      x[i] = inputs[index[i]];
      y[i] = outputs[index[i]];
    }
    return new MarginalLikelihood(x, y, estimateMean);
  }

  /** Negative log marginal likelihood plus the prior penalty, with the gradient of both. */
  private BoundedMinimizer.Objective objective(MarginalLikelihood likelihood) {
    return (theta, gradient) -> likelihood.evaluate(theta, gradient) + prior.penalty(theta, gradient);
  }

  private static double valueOrInfinity(BoundedMinimizer.Objective objective, double[] theta) {
    try {
      double v = objective.evaluate(theta, null);
      return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
    } catch (ModelFailure failure) {
      return Double.POSITIVE_INFINITY;
    }
  }
}
