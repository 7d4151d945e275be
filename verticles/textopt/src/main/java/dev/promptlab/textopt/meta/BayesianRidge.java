package dev.promptlab.textopt.meta;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Bayesian linear regression whose prior precision {@code alpha} and noise precision {@code beta} are set by the
 * evidence approximation (MacKay; Bishop, PRML §3.5). The meta-model needs both things it gives: a predictive
 * standard deviation that is wide where the history is thin, so ranking can still explore, and a regularisation
 * chosen from the history itself, which is too small to spend on a validation split.
 *
 * <p>Columns are standardised on the training rows (a constant column becomes zero and carries no weight) and the
 * targets centred, so the intercept is not shrunk and features on different scales are shrunk alike. One
 * eigendecomposition of the d × d Gram matrix serves the re-estimation and every prediction. Immutable.
 */
final class BayesianRidge {

  private static final int MAX_ITERATIONS = 300;
  private static final double TOLERANCE = 1e-7;
  private static final double FLOOR = 1e-12;

  private final double intercept;
  private final double[] mean;
  private final double[] scale;
  private final double[] weights;
  private final double alpha;
  private final double beta;
  private final double[][] basis;
  private final double[] eigenvalues;

  private BayesianRidge(double intercept, double[] mean, double[] scale, double[] weights, double alpha,
                        double beta, double[][] basis, double[] eigenvalues) {
    this.intercept = intercept;
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
    this.alpha = alpha;
    this.beta = beta;
    this.basis = basis;
    this.eigenvalues = eigenvalues;
  }

  /** A prediction: the posterior mean and the standard deviation of a new observation there, noise included. */
  record Prediction(double mean, double sd) {
  }

  /** Fits rows {@code x} (n × d, finite) to targets {@code t}; needs n ≥ 2. */
  static BayesianRidge fit(double[][] x, double[] t) {
    int n = x.length;
    if (n < 2 || t.length != n) {
      throw new IllegalArgumentException("need two rows or more with one target each, got " + n + " rows and "
        + t.length + " targets");
    }
    int d = x[0].length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / n;
      }
    }
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      // A constant column centres to zero whatever it is divided by; 1 keeps it zero at prediction time too.
      scale[j] = scale[j] > FLOOR ? Math.sqrt(scale[j]) : 1;
    }
    double intercept = 0;
    for (double v : t) {
      intercept += v / n;
    }
    DMatrixRMaj phi = new DMatrixRMaj(n, d);
    DMatrixRMaj centred = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        phi.set(i, j, (x[i][j] - mean[j]) / scale[j]);
      }
      centred.set(i, 0, t[i] - intercept);
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
      basis[k] = eig.getEigenVector(k).getData().clone();
      lambda[k] = Math.max(0, eig.getEigenvalue(k).getReal());
      projected[k] = dot(basis[k], phiT.getData());
    }

    double targetVariance = 0;
    for (int i = 0; i < n; i++) {
      targetVariance += centred.get(i, 0) * centred.get(i, 0) / n;
    }
    double alpha = 1;
    double beta = 1 / Math.max(targetVariance, 1e-6);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double gamma = 0;
      double normSquared = 0;
      double[] w = new double[d];
      for (int k = 0; k < d; k++) {
        double c = beta * projected[k] / (alpha + beta * lambda[k]);
        normSquared += c * c;
        gamma += beta * lambda[k] / (alpha + beta * lambda[k]);
        for (int j = 0; j < d; j++) {
          w[j] += c * basis[k][j];
        }
      }
      double residual = 0;
      for (int i = 0; i < n; i++) {
        double r = centred.get(i, 0);
        for (int j = 0; j < d; j++) {
          r -= phi.get(i, j) * w[j];
        }
        residual += r * r;
      }
      if (gamma < FLOOR) {
        // No direction of the features varies in the history, so the evidence cannot set the prior. Let one
        // standard deviation of a feature move the gain by one standard deviation of the gains seen: the model
        // predicts the mean gain and is as unsure about a new kind of change as the history is about any.
        alpha = 1 / Math.max(targetVariance, FLOOR);
        beta = n / Math.max(residual, FLOOR);
        break;
      }
      double nextAlpha = gamma / Math.max(normSquared, FLOOR);
      double nextBeta = Math.max(n - gamma, 1e-6) / Math.max(residual, FLOOR);
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
    return new BayesianRidge(intercept, mean, scale, weights, alpha, beta, basis, lambda);
  }

  Prediction predict(double[] input) {
    int d = weights.length;
    if (input.length != d) {
      throw new IllegalArgumentException("expected " + d + " features, got " + input.length);
    }
    double[] z = new double[d];
    double m = intercept;
    for (int j = 0; j < d; j++) {
      z[j] = (input[j] - mean[j]) / scale[j];
      m += weights[j] * z[j];
    }
    double variance = 1 / beta;
    for (int k = 0; k < d; k++) {
      double projection = dot(basis[k], z);
      variance += projection * projection / (alpha + beta * eigenvalues[k]);
    }
    return new Prediction(m, Math.sqrt(variance));
  }

  /** The weights on the original (unstandardised) feature scales: the change in prediction per unit of each. */
  double[] weights() {
    double[] w = new double[weights.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = weights[j] / scale[j];
    }
    return w;
  }

  /** The noise standard deviation the evidence settled on. */
  double noiseSd() {
    return 1 / Math.sqrt(beta);
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }
}
