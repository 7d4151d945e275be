package dev.promptlab.optimizer.model;

import org.ejml.data.DMatrixRMaj;

/**
 * Negative log marginal likelihood of the data under the Matérn-5/2 ARD + noise model, and its exact
 * gradient with respect to {@code theta = [log l_1..l_D, log signalVariance, log noiseVariance]}:
 *
 * <pre>
 *   nlml = 1/2 y^T K^-1 y + 1/2 log det K + n/2 log 2 pi
 *   d nlml / d theta_j = 1/2 tr((K^-1 - alpha alpha^T) dK/d theta_j),   alpha = K^-1 y
 * </pre>
 *
 * One evaluation costs one Cholesky factorisation and one inverse from the factor (about n^3 flops)
 * plus O(n^2 D) element-wise work.
 *
 * <p>With {@code estimateMean} the constant prior mean is profiled out: {@code y} is replaced by
 * {@code y - m(theta)} with the generalised-least-squares mean {@code m(theta)}; since {@code m} minimises
 * the objective for each {@code theta}, the gradient keeps the same form (envelope theorem).
 */
public final class MarginalLikelihood {

  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final double[][] inputs;
  private final double[] outputs;
  private final int n;
  private final int dims;
  private final boolean estimateMean;
  private int evaluations;

  public MarginalLikelihood(double[][] inputs, double[] outputs) {
    this(inputs, outputs, false);
  }

  public MarginalLikelihood(double[][] inputs, double[] outputs, boolean estimateMean) {
    if (inputs.length == 0 || inputs.length != outputs.length) {
      throw new IllegalArgumentException("need as many outputs as inputs, and at least one");
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.n = inputs.length;
    this.dims = inputs[0].length;
    this.estimateMean = estimateMean;
  }

  /** How many times {@link #evaluate} ran. */
  public int evaluations() {
    return evaluations;
  }

  /**
   * The negative log marginal likelihood at {@code theta}; its gradient is written to {@code gradient}
   * when that is not null. Throws {@link ModelFailure} when the covariance cannot be factorised.
   */
  public double evaluate(double[] theta, double[] gradient) {
    evaluations++;
    KernelHyperparameters h = new KernelHyperparameters(theta);
    if (h.inputs() != dims) {
      throw new IllegalArgumentException("theta has " + h.inputs() + " lengthscales, inputs have " + dims + " columns");
    }
    double[] inv = GaussianProcess.inverseSquaredLengthscales(h);
    double sf2 = h.signalVariance();
    double sn2 = h.noiseVariance();

    // Kernel values and their lengthscale slopes, kept for the gradient pass (lower triangle).
    double[] kernel = new double[n * n];
    double[] slope = new double[n * n];
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      double[] xi = inputs[i];
      int row = i * n;
      for (int j = 0; j < i; j++) {
        double r2 = GaussianProcess.scaledSquaredDistance(xi, inputs[j], inv);
        double r = Math.sqrt(r2);
        double e = Math.exp(-Matern52.SQRT5 * r);
        double kv = sf2 * (1.0 + Matern52.SQRT5 * r + (5.0 / 3.0) * r2) * e;
        kernel[row + j] = kv;
        slope[row + j] = sf2 * (5.0 / 3.0) * (1.0 + Matern52.SQRT5 * r) * e;
        k.unsafe_set(i, j, kv);
        k.unsafe_set(j, i, kv);
      }
      k.unsafe_set(i, i, sf2 + sn2);
    }
    CholeskyFactor factor = CholeskyFactor.of(k);
    double[] residual = outputs.clone();
    if (estimateMean) {
      double mean = GaussianProcess.generalisedLeastSquaresMean(factor, outputs);
      for (int i = 0; i < n; i++) {
        residual[i] -= mean;
      }
    }
    double[] alpha = factor.solve(residual);
    double fit = 0;
    for (int i = 0; i < n; i++) {
      fit += residual[i] * alpha[i];
    }
    double value = 0.5 * fit + 0.5 * factor.logDeterminant() + 0.5 * n * LOG_2PI;
    if (gradient == null) {
      return value;
    }

    double[] inverse = factor.inverse();
    double[] lengthscaleGradient = new double[dims];
    double signalGradient = 0;
    double trace = 0;
    for (int i = 0; i < n; i++) {
      double[] xi = inputs[i];
      int row = i * n;
      double ai = alpha[i];
      for (int j = 0; j < i; j++) {
        // Off-diagonal pairs appear twice in the trace; the 1/2 cancels.
        double w = inverse[row + j] - ai * alpha[j];
        signalGradient += w * kernel[row + j];
        double ws = w * slope[row + j];
        double[] xj = inputs[j];
        for (int d = 0; d < dims; d++) {
          double diff = xi[d] - xj[d];
          lengthscaleGradient[d] += ws * diff * diff;
        }
      }
      trace += inverse[row + i] - ai * ai;
    }
    for (int d = 0; d < dims; d++) {
      gradient[d] = lengthscaleGradient[d] * inv[d];
    }
    gradient[dims] = signalGradient + 0.5 * trace * sf2;
    gradient[dims + 1] = 0.5 * trace * sn2;
    return value;
  }
}
