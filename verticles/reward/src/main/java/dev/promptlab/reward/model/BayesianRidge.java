package dev.promptlab.reward.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Bayesian linear regression with its two precisions set by the evidence approximation (MacKay; Bishop, PRML
 * §3.5): a Gaussian prior of precision {@code alpha} on the weights, Gaussian noise of precision {@code beta}, both
 * re-estimated until they settle. It gives what the reward model needs and a point estimate does not: a predictive
 * standard deviation that grows away from the data, and a regularisation strength chosen from the training data
 * alone (no held-out set spent on it).
 *
 * <p>One eigendecomposition of ΦᵀΦ (d × d) serves every iteration and every prediction: the posterior covariance
 * is V diag(1 / (alpha + beta λ)) Vᵀ. Inputs and targets are centred on their training means, so the intercept is
 * not shrunk. Immutable.
 */
public final class BayesianRidge {

  private static final int MAX_ITERATIONS = 200;
  private static final double TOLERANCE = 1e-6;

  private final double intercept;
  /** Column means of the training rows: inputs are centred before use. */
  private final double[] centre;
  private final double[] weights;
  private final double alpha;
  private final double beta;
  /** Eigenvectors of ΦᵀΦ as rows, for projecting an input. */
  private final double[][] basis;
  private final double[] eigenvalues;

  BayesianRidge(double intercept, double[] centre, double[] weights, double alpha, double beta,
                        double[][] basis, double[] eigenvalues) {
    this.intercept = intercept;
    this.centre = centre;
    this.weights = weights;
    this.alpha = alpha;
    this.beta = beta;
    this.basis = basis;
    this.eigenvalues = eigenvalues;
  }

  /** A prediction: posterior mean and the standard deviation of a new observation there (noise included). */
  public record Prediction(double mean, double sd) {
  }

  /** Fits rows {@code x} (n × d, already scaled) to targets {@code t}. */
  public static BayesianRidge fit(double[][] x, double[] t) {
    int n = x.length;
    if (n < 2 || t.length != n) {
      throw new IllegalArgumentException("need at least two rows with one target each, got " + n + " and "
        + t.length);
    }
    int d = x[0].length;
    double mean = 0;
    for (double v : t) {
      mean += v;
    }
    mean /= n;
    double[] centre = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        centre[j] += row[j] / n;
      }
    }
    DMatrixRMaj phi = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        phi.set(i, j, x[i][j] - centre[j]);
      }
    }
    DMatrixRMaj centred = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      centred.set(i, 0, t[i] - mean);
    }
    DMatrixRMaj gram = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(phi, phi, gram);
    DMatrixRMaj phiT = new DMatrixRMaj(d, 1);
    CommonOps_DDRM.multTransA(phi, centred, phiT);

    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(gram)) {
      throw new IllegalStateException("the eigendecomposition of the Gram matrix failed");
    }
    double[][] basis = new double[d][];
    double[] lambda = new double[d];
    double[] projected = new double[d];
    for (int k = 0; k < d; k++) {
      DMatrixRMaj v = eig.getEigenVector(k);
      basis[k] = v.getData().clone();
      lambda[k] = Math.max(0, eig.getEigenvalue(k).getReal());
      double dot = 0;
      for (int j = 0; j < d; j++) {
        dot += basis[k][j] * phiT.get(j, 0);
      }
      projected[k] = dot;
    }

    double variance = 0;
    for (int i = 0; i < n; i++) {
      variance += centred.get(i, 0) * centred.get(i, 0);
    }
    variance = Math.max(variance / n, 1e-6);
    double alpha = 1.0;
    double beta = 1.0 / variance;
    double[] coefficients = new double[d];
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double gamma = 0;
      double normSquared = 0;
      for (int k = 0; k < d; k++) {
        double denominator = alpha + beta * lambda[k];
        coefficients[k] = beta * projected[k] / denominator;
        normSquared += coefficients[k] * coefficients[k];
        gamma += beta * lambda[k] / denominator;
      }
      double residual = residualSquared(phi, centred, basis, coefficients);
      double nextAlpha = gamma / Math.max(normSquared, 1e-12);
      double nextBeta = Math.max(n - gamma, 1e-6) / Math.max(residual, 1e-12);
      boolean settled = Math.abs(nextAlpha - alpha) <= TOLERANCE * alpha
        && Math.abs(nextBeta - beta) <= TOLERANCE * beta;
      alpha = nextAlpha;
      beta = nextBeta;
      if (settled) {
        break;
      }
    }
    double[] weights = new double[d];
    for (int k = 0; k < d; k++) {
      double c = beta * projected[k] / (alpha + beta * lambda[k]);
      for (int j = 0; j < d; j++) {
        weights[j] += c * basis[k][j];
      }
    }
    return new BayesianRidge(mean, centre, weights, alpha, beta, basis, lambda);
  }

  private static double residualSquared(DMatrixRMaj phi, DMatrixRMaj centred, double[][] basis, double[] coeff) {
    int n = phi.numRows;
    int d = phi.numCols;
    double[] w = new double[d];
    for (int k = 0; k < d; k++) {
      for (int j = 0; j < d; j++) {
        w[j] += coeff[k] * basis[k][j];
      }
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double fitted = 0;
      for (int j = 0; j < d; j++) {
        fitted += phi.get(i, j) * w[j];
      }
      double r = centred.get(i, 0) - fitted;
      sum += r * r;
    }
    return sum;
  }

  public Prediction predict(double[] input) {
    double[] x = new double[input.length];
    double mean = intercept;
    for (int j = 0; j < weights.length; j++) {
      x[j] = input[j] - centre[j];
      mean += weights[j] * x[j];
    }
    double variance = 1.0 / beta;
    for (int k = 0; k < basis.length; k++) {
      double dot = 0;
      double[] v = basis[k];
      for (int j = 0; j < v.length; j++) {
        dot += v[j] * x[j];
      }
      variance += dot * dot / (alpha + beta * eigenvalues[k]);
    }
    return new Prediction(mean, Math.sqrt(variance));
  }

  /** The noise standard deviation the evidence settled on. */
  public double noiseSd() {
    return 1.0 / Math.sqrt(beta);
  }

  public double alpha() {
    return alpha;
  }

  public double[] weights() {
    return weights.clone();
  }

  public double intercept() {
    return intercept;
  }

  double[] centre() {
    return centre.clone();
  }

  double beta() {
    return beta;
  }

  double[][] basis() {
    return basis;
  }

  double[] eigenvalues() {
    return eigenvalues.clone();
  }
}
