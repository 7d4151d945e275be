package dev.promptlab.optimizer.model;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Gaussian-process regression posterior with a Matérn-5/2 ARD kernel and Gaussian noise, for
 * fixed hyperparameters. Inputs are encoded points (unit cube), outputs are whatever scale the caller
 * standardised them to. Predictions are of the latent function (noise excluded).
 *
 * <p>The prior mean is a constant: zero, or (with {@code estimateMean}) its generalised-least-squares
 * estimate {@code m = 1^T K^-1 y / 1^T K^-1 1}. The second matters for optimisation: the plain average
 * of observed values is biased upwards because the optimiser samples good regions more often, which
 * makes unexplored corners look better than they are; the GLS estimate down-weights clustered points
 * and tracks the background level.
 *
 * <p>Each observation may carry its own extra noise variance on top of the kernel's: a value known less
 * precisely than a measurement (a predicted rating, see {@link PredictedObservation}) then pulls the
 * posterior towards it less than a measurement at the same place would.
 */
public final class GaussianProcess {

  /** Candidates per block when predicting many points (keeps the working set in cache). */
  private static final int BLOCK = 128;
  private static final double MIN_VARIANCE = 1e-12;

  private final double[][] inputs;
  private final double[] outputs;
  /** Per-observation noise variance added to the kernel's; all zeros for plain measurements. */
  private final double[] extraNoise;
  private final KernelHyperparameters hyperparameters;
  private final double[] inverseSquaredLengthscales;
  private final double signalVariance;
  private final CholeskyFactor factor;
  private final double priorMean;
  private final double[] alpha;

  private GaussianProcess(double[][] inputs, double[] outputs, double[] extraNoise,
                          KernelHyperparameters hyperparameters, CholeskyFactor factor, Double fixedMean) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.extraNoise = extraNoise;
    this.hyperparameters = hyperparameters;
    this.inverseSquaredLengthscales = inverseSquaredLengthscales(hyperparameters);
    this.signalVariance = hyperparameters.signalVariance();
    this.factor = factor;
    this.priorMean = fixedMean != null ? fixedMean : generalisedLeastSquaresMean(factor, outputs);
    double[] residual = outputs.clone();
    for (int i = 0; i < residual.length; i++) {
      residual[i] -= priorMean;
    }
    this.alpha = factor.solve(residual);
  }

  /** {@code 1^T K^-1 y / 1^T K^-1 1}. */
  static double generalisedLeastSquaresMean(CholeskyFactor factor, double[] outputs) {
    double[] ones = new double[outputs.length];
    Arrays.fill(ones, 1.0);
    double[] beta = factor.solve(ones);
    double num = 0;
    double den = 0;
    for (int i = 0; i < outputs.length; i++) {
      num += beta[i] * outputs[i];
      den += beta[i];
    }
    return den > 0 ? num / den : 0.0;
  }

  /**
   * Conditions a zero-mean prior on {@code outputs} observed at {@code inputs}. Throws
   * {@link ModelFailure} when the covariance cannot be factorised.
   */
  public static GaussianProcess fit(double[][] inputs, double[] outputs, KernelHyperparameters hyperparameters) {
    return fit(inputs, outputs, hyperparameters, false);
  }

  /** As {@link #fit(double[][], double[], KernelHyperparameters)}, with the constant prior mean estimated when asked. */
  public static GaussianProcess fit(double[][] inputs, double[] outputs, KernelHyperparameters hyperparameters,
                                    boolean estimateMean) {
    return fit(inputs, outputs, new double[outputs.length], hyperparameters, estimateMean);
  }

  /**
   * As {@link #fit(double[][], double[], KernelHyperparameters, boolean)}, observation {@code i} with noise variance
   * {@code noiseVariance + extraNoise[i]} (each {@code extraNoise[i] >= 0}).
   */
  public static GaussianProcess fit(double[][] inputs, double[] outputs, double[] extraNoise,
                                    KernelHyperparameters hyperparameters, boolean estimateMean) {
    if (inputs.length == 0 || inputs.length != outputs.length || extraNoise.length != outputs.length) {
      throw new IllegalArgumentException("need as many outputs and extra noise variances as inputs, and at least one");
    }
    for (double e : extraNoise) {
      if (!(e >= 0) || !Double.isFinite(e)) {
        throw new IllegalArgumentException("an extra noise variance must be finite and >= 0, got " + e);
      }
    }
    if (inputs[0].length != hyperparameters.inputs()) {
      throw new IllegalArgumentException("hyperparameters are for " + hyperparameters.inputs() + " columns, inputs have "
        + inputs[0].length);
    }
    double[] extra = extraNoise.clone();
    return new GaussianProcess(inputs, outputs, extra, hyperparameters,
      CholeskyFactor.of(covariance(inputs, hyperparameters, extra)), estimateMean ? null : 0.0);
  }

  /** {@code K + noise I} of the given inputs. */
  static DMatrixRMaj covariance(double[][] inputs, KernelHyperparameters hyperparameters) {
    return covariance(inputs, hyperparameters, new double[inputs.length]);
  }

  /** {@code K + noise I + diag(extraNoise)} of the given inputs. */
  static DMatrixRMaj covariance(double[][] inputs, KernelHyperparameters hyperparameters, double[] extraNoise) {
    int n = inputs.length;
    double[] inv = inverseSquaredLengthscales(hyperparameters);
    double sf2 = hyperparameters.signalVariance();
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = sf2 * Matern52.correlation(scaledSquaredDistance(inputs[i], inputs[j], inv));
        k.unsafe_set(i, j, v);
        k.unsafe_set(j, i, v);
      }
      k.unsafe_set(i, i, sf2 + hyperparameters.noiseVariance() + extraNoise[i]);
    }
    return k;
  }

  static double[] inverseSquaredLengthscales(KernelHyperparameters hyperparameters) {
    double[] theta = hyperparameters.theta();
    double[] inv = new double[hyperparameters.inputs()];
    for (int d = 0; d < inv.length; d++) {
      inv[d] = Math.exp(-2.0 * theta[d]);
    }
    return inv;
  }

  static double scaledSquaredDistance(double[] a, double[] b, double[] inverseSquaredLengthscales) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      double diff = a[d] - b[d];
      sum += diff * diff * inverseSquaredLengthscales[d];
    }
    return sum;
  }

  public KernelHyperparameters hyperparameters() {
    return hyperparameters;
  }

  public int size() {
    return inputs.length;
  }

  /** The {@code i}-th conditioning input (a copy). */
  public double[] input(int i) {
    return inputs[i].clone();
  }

  /** The constant prior mean (0, or its GLS estimate). */
  public double priorMean() {
    return priorMean;
  }

  /** The noise variance of observation {@code i}: the kernel's plus its own extra. */
  public double noiseVarianceOf(int i) {
    return hyperparameters.noiseVariance() + extraNoise[i];
  }

  /** The jitter the Cholesky factorisation needed (0 normally). */
  public double jitter() {
    return factor.jitter();
  }

  /** The prior covariance of two encoded points. */
  private double covariance(double[] a, double[] b) {
    return signalVariance * Matern52.correlation(scaledSquaredDistance(a, b, inverseSquaredLengthscales));
  }

  private double[] crossCovariance(double[] point) {
    double[] k = new double[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      k[i] = covariance(point, inputs[i]);
    }
    return k;
  }

  /** Posterior mean and variance of the latent function at one point. */
  public Prediction predict(double[] point) {
    double[] k = crossCovariance(point);
    double mean = priorMean + dot(k, alpha);
    factor.solveLowerInPlace(k);
    double variance = Math.max(signalVariance - dot(k, k), MIN_VARIANCE);
    return new Prediction(mean, variance);
  }

  /** Posterior means only (O(n) per point). */
  public double[] predictMeans(double[][] points) {
    double[] mean = new double[points.length];
    for (int p = 0; p < points.length; p++) {
      double mu = priorMean;
      for (int i = 0; i < inputs.length; i++) {
        mu += alpha[i] * signalVariance
          * Matern52.correlation(scaledSquaredDistance(points[p], inputs[i], inverseSquaredLengthscales));
      }
      mean[p] = mu;
    }
    return mean;
  }

  /** Posterior means and variances at many points, written into {@code mean} and {@code variance}. */
  public void predict(double[][] points, double[] mean, double[] variance) {
    int n = inputs.length;
    for (int start = 0; start < points.length; start += BLOCK) {
      int m = Math.min(BLOCK, points.length - start);
      double[] block = new double[n * m];
      for (int c = 0; c < m; c++) {
        double[] point = points[start + c];
        double mu = priorMean;
        for (int i = 0; i < n; i++) {
          double kv = covariance(point, inputs[i]);
          block[i * m + c] = kv;
          mu += kv * alpha[i];
        }
        mean[start + c] = mu;
      }
      double[] explained = factor.squaredNormsOfLowerSolves(block, m);
      for (int c = 0; c < m; c++) {
        variance[start + c] = Math.max(signalVariance - explained[c], MIN_VARIANCE);
      }
    }
  }

  /**
   * Posterior means at many points and, for each, an upper bound of its posterior variance: the variance
   * given only its {@code nearest} most correlated observations (conditioning on fewer data never
   * leaves less uncertainty). Costs O(n) per point instead of the O(n^2) of the exact variance, so a
   * search can compute exact variances only where the bound leaves a chance.
   */
  public void predictWithVarianceBound(double[][] points, int nearest, double[] mean, double[] varianceBound) {
    int n = inputs.length;
    int q = Math.min(nearest, n);
    double noise = hyperparameters.noiseVariance() + factor.jitter();
    double[] k = new double[n];
    int[] chosen = new int[q];
    double[] sub = new double[q * q];
    double[] rhs = new double[q];
    for (int p = 0; p < points.length; p++) {
      double[] point = points[p];
      double mu = priorMean;
      for (int i = 0; i < n; i++) {
        k[i] = covariance(point, inputs[i]);
        mu += k[i] * alpha[i];
      }
      mean[p] = mu;
      if (q == n) {
        for (int i = 0; i < n; i++) {
          chosen[i] = i;
        }
      } else {
        largest(k, chosen);
      }
      for (int a = 0; a < q; a++) {
        rhs[a] = k[chosen[a]];
        for (int b = 0; b <= a; b++) {
          double v = a == b ? signalVariance + noise + extraNoise[chosen[a]]
            : covariance(inputs[chosen[a]], inputs[chosen[b]]);
          sub[a * q + b] = v;
        }
      }
      varianceBound[p] = Math.max(signalVariance - explainedBySubset(sub, rhs, q), MIN_VARIANCE);
    }
  }

  /** Indices of the {@code chosen.length} largest entries of {@code values}. */
  private static void largest(double[] values, int[] chosen) {
    int q = chosen.length;
    int filled = 0;
    for (int i = 0; i < values.length; i++) {
      if (filled < q) {
        int pos = filled++;
        while (pos > 0 && values[chosen[pos - 1]] < values[i]) {
          chosen[pos] = chosen[pos - 1];
          pos--;
        }
        chosen[pos] = i;
      } else if (values[i] > values[chosen[q - 1]]) {
        int pos = q - 1;
        while (pos > 0 && values[chosen[pos - 1]] < values[i]) {
          chosen[pos] = chosen[pos - 1];
          pos--;
        }
        chosen[pos] = i;
      }
    }
  }

  /**
   * {@code r^T S^-1 r} for the small symmetric positive-definite {@code S} (lower triangle of {@code s}
   * filled, row-major {@code q x q}); {@code s} is overwritten by its Cholesky factor. If rounding makes
   * it indefinite the bound falls back to 0 explained variance (still an upper bound).
   */
  private static double explainedBySubset(double[] s, double[] r, int q) {
    for (int j = 0; j < q; j++) {
      double d = s[j * q + j];
      for (int p = 0; p < j; p++) {
        d -= s[j * q + p] * s[j * q + p];
      }
      if (!(d > 0)) {
        return 0;
      }
      d = Math.sqrt(d);
      s[j * q + j] = d;
      for (int i = j + 1; i < q; i++) {
        double v = s[i * q + j];
        for (int p = 0; p < j; p++) {
          v -= s[i * q + p] * s[j * q + p];
        }
        s[i * q + j] = v / d;
      }
    }
    double explained = 0;
    double[] y = new double[q];
    for (int i = 0; i < q; i++) {
      double v = r[i];
      for (int p = 0; p < i; p++) {
        v -= s[i * q + p] * y[p];
      }
      y[i] = v / s[i * q + i];
      explained += y[i] * y[i];
    }
    return explained;
  }

  /** Exact posterior variances at {@code points[indices[..]]}, written to {@code variance[indices[..]]}. */
  public void exactVariances(double[][] points, int[] indices, double[] variance) {
    int n = inputs.length;
    for (int start = 0; start < indices.length; start += BLOCK) {
      int m = Math.min(BLOCK, indices.length - start);
      double[] block = new double[n * m];
      for (int c = 0; c < m; c++) {
        double[] point = points[indices[start + c]];
        for (int i = 0; i < n; i++) {
          block[i * m + c] = covariance(point, inputs[i]);
        }
      }
      double[] explained = factor.squaredNormsOfLowerSolves(block, m);
      for (int c = 0; c < m; c++) {
        variance[indices[start + c]] = Math.max(signalVariance - explained[c], MIN_VARIANCE);
      }
    }
  }

  /**
   * For each candidate, how much observing it once (with the model's noise) would lower the posterior variance summed
   * over {@code reference} points: {@code sum_z cov(z, c)^2 / (var(c) + noise)}. A point in a large region nothing has
   * been rated near scores high; a corner scores less than its own variance suggests, since most of what it would
   * teach lies outside the box.
   */
  public double[] integratedVarianceReduction(double[][] candidates, double[][] reference) {
    double[][] solvedReference = new double[reference.length][];
    for (int z = 0; z < reference.length; z++) {
      double[] k = crossCovariance(reference[z]);
      factor.solveLowerInPlace(k);
      solvedReference[z] = k;
    }
    double noise = hyperparameters.noiseVariance();
    double[] reduction = new double[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      double[] kc = crossCovariance(candidates[c]);
      factor.solveLowerInPlace(kc);
      double variance = Math.max(signalVariance - dot(kc, kc), MIN_VARIANCE);
      double sum = 0;
      for (int z = 0; z < reference.length; z++) {
        double cov = covariance(candidates[c], reference[z]) - dot(kc, solvedReference[z]);
        sum += cov * cov;
      }
      reduction[c] = sum / (variance + noise);
    }
    return reduction;
  }

  /** Posterior mean, standard deviation and their gradients with respect to the encoded point. */
  public PredictionWithGradient predictWithGradient(double[] point) {
    int n = inputs.length;
    int dims = point.length;
    double[] k = new double[n];
    double[][] dk = new double[n][dims];
    for (int i = 0; i < n; i++) {
      double r2 = scaledSquaredDistance(point, inputs[i], inverseSquaredLengthscales);
      k[i] = signalVariance * Matern52.correlation(r2);
      double slope = -signalVariance * Matern52.slope(r2);
      for (int d = 0; d < dims; d++) {
        dk[i][d] = slope * (point[d] - inputs[i][d]) * inverseSquaredLengthscales[d];
      }
    }
    double mean = priorMean + dot(k, alpha);
    double[] kInvK = factor.solve(k);
    double variance = signalVariance - dot(k, kInvK);
    double[] meanGradient = new double[dims];
    double[] sdGradient = new double[dims];
    boolean floored = variance < MIN_VARIANCE;
    double sd = Math.sqrt(Math.max(variance, MIN_VARIANCE));
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dims; d++) {
        meanGradient[d] += dk[i][d] * alpha[i];
        if (!floored) {
          sdGradient[d] -= dk[i][d] * kInvK[i] / sd;
        }
      }
    }
    return new PredictionWithGradient(mean, sd, meanGradient, sdGradient);
  }

  /**
   * The posterior after also observing {@code value} at {@code point} (a "fantasy" used to spread a
   * batch of suggestions), with the same hyperparameters and prior mean, in O(n^2).
   */
  public GaussianProcess condition(double[] point, double value) {
    int n = inputs.length;
    double[][] grownInputs = new double[n + 1][];
    System.arraycopy(inputs, 0, grownInputs, 0, n);
    grownInputs[n] = point.clone();
    double[] grownOutputs = new double[n + 1];
    System.arraycopy(outputs, 0, grownOutputs, 0, n);
    grownOutputs[n] = value;
    double[] grownExtra = Arrays.copyOf(extraNoise, n + 1);
    CholeskyFactor grown = factor.append(crossCovariance(point), signalVariance + hyperparameters.noiseVariance());
    return new GaussianProcess(grownInputs, grownOutputs, grownExtra, hyperparameters, grown, priorMean);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Posterior of the latent function at a point. */
  public record Prediction(double mean, double variance) {
    public double sd() {
      return Math.sqrt(variance);
    }
  }

  /** Posterior mean and standard deviation with their gradients. */
  public record PredictionWithGradient(double mean, double sd, double[] meanGradient, double[] sdGradient) {
  }
}
