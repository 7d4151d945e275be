package dev.promptlab.optimizer.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.chol.CholeskyDecomposition_DDRB_to_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The lower Cholesky factor {@code L} of a symmetric positive-definite covariance matrix
 * ({@code K = L L^T}), computed with EJML. When rounding makes the matrix numerically indefinite
 * (near-duplicate inputs, tiny noise) a growing diagonal jitter is added until the factorisation
 * succeeds; the jitter used is kept so callers can report it.
 */
public final class CholeskyFactor {

  /** Jitter steps relative to the mean diagonal; beyond the last one the matrix is rejected. */
  private static final double[] RELATIVE_JITTER = {0, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2};

  /** From this size on, EJML's blocked factorisation is faster than its row-major one (measured here). */
  private static final int BLOCKED_FROM = 250;

  private final int n;
  /** Row-major lower triangle (upper part zero). */
  private final double[] lower;
  private final double jitter;

  private CholeskyFactor(int n, double[] lower, double jitter) {
    this.n = n;
    this.lower = lower;
    this.jitter = jitter;
  }

  /**
   * Factorises {@code k} (not modified). Throws {@link ModelFailure} if even the largest jitter does not
   * make it positive definite or the matrix holds non-finite values.
   */
  public static CholeskyFactor of(DMatrixRMaj k) {
    int n = k.numRows;
    double meanDiagonal = 0;
    for (int i = 0; i < n; i++) {
      meanDiagonal += k.get(i, i);
    }
    meanDiagonal = n == 0 ? 1.0 : meanDiagonal / n;
    if (!Double.isFinite(meanDiagonal) || meanDiagonal <= 0) {
      throw new ModelFailure("covariance matrix has a non-finite or non-positive diagonal");
    }
    for (double relative : RELATIVE_JITTER) {
      double jitter = relative * meanDiagonal;
      DMatrixRMaj work = k.copy();
      for (int i = 0; i < n; i++) {
        work.add(i, i, jitter);
      }
      CholeskyDecomposition_F64<DMatrixRMaj> decomposition = n >= BLOCKED_FROM
        ? new CholeskyDecomposition_DDRB_to_DDRM(true) : DecompositionFactory_DDRM.chol(n, true);
      if (!decomposition.decompose(work)) {
        continue;
      }
      DMatrixRMaj l = decomposition.getT(null);
      if (finitePositiveDiagonal(l.data, n)) {
        return new CholeskyFactor(n, l.data, jitter);
      }
    }
    throw new ModelFailure("covariance matrix is not positive definite even with jitter " + RELATIVE_JITTER[RELATIVE_JITTER.length - 1]
      + " x mean diagonal");
  }

  private static boolean finitePositiveDiagonal(double[] l, int n) {
    for (int i = 0; i < n; i++) {
      double d = l[i * n + i];
      if (!(d > 0) || !Double.isFinite(d)) {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return n;
  }

  /** The diagonal jitter that had to be added (0 when the matrix factorised as given). */
  public double jitter() {
    return jitter;
  }

  /** {@code log det K}. */
  public double logDeterminant() {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.log(lower[i * n + i]);
    }
    return 2 * sum;
  }

  /** Overwrites {@code b} with {@code L^-1 b}. */
  public void solveLowerInPlace(double[] b) {
    for (int i = 0; i < n; i++) {
      int row = i * n;
      double s = b[i];
      for (int j = 0; j < i; j++) {
        s -= lower[row + j] * b[j];
      }
      b[i] = s / lower[row + i];
    }
  }

  /** Overwrites {@code b} with {@code L^-T b}. */
  public void solveUpperInPlace(double[] b) {
    for (int i = n - 1; i >= 0; i--) {
      int row = i * n;
      double xi = b[i] / lower[row + i];
      b[i] = xi;
      for (int j = 0; j < i; j++) {
        b[j] -= lower[row + j] * xi;
      }
    }
  }

  /** {@code K^-1 b} as a new array. */
  public double[] solve(double[] b) {
    double[] x = b.clone();
    solveLowerInPlace(x);
    solveUpperInPlace(x);
    return x;
  }

  /**
   * For each column {@code c} of the row-major {@code n x m} matrix {@code b}, the squared norm of
   * {@code L^-1 b[:, c]}; {@code b} is overwritten. Rows are processed as whole vectors so the factor is
   * streamed once per call rather than once per column.
   */
  public double[] squaredNormsOfLowerSolves(double[] b, int m) {
    double[] norms = new double[m];
    for (int i = 0; i < n; i++) {
      int row = i * n;
      int bi = i * m;
      for (int j = 0; j < i; j++) {
        double lij = lower[row + j];
        if (lij == 0) {
          continue;
        }
        int bj = j * m;
        for (int c = 0; c < m; c++) {
          b[bi + c] -= lij * b[bj + c];
        }
      }
      double inv = 1.0 / lower[row + i];
      for (int c = 0; c < m; c++) {
        double v = b[bi + c] * inv;
        b[bi + c] = v;
        norms[c] += v * v;
      }
    }
    return norms;
  }

  /** Rows per block in {@link #inverse()}: a block of rows stays in cache while earlier rows stream past. */
  private static final int BLOCK = 32;

  /**
   * {@code K^-1 = L^-T L^-1} (dense, symmetric, row-major), from the stored factor: first {@code W = L^-1}
   * by forward substitution, then {@code W^T W}. Both passes work on blocks of rows (each row of the
   * triangle is read once per block instead of once per row) and apply four rows per sweep (each
   * accumulator is loaded and stored once per four multiply-adds).
   */
  public double[] inverse() {
    double[] w = new double[n * n];
    for (int i0 = 0; i0 < n; i0 += BLOCK) {
      int i1 = Math.min(n, i0 + BLOCK);
      // Contributions of the finished rows k < i0 to every row of the block.
      for (int i = i0; i < i1; i++) {
        int ri = i * n;
        int k = 0;
        for (; k + 3 < i0; k += 4) {
          double a0 = lower[ri + k];
          double a1 = lower[ri + k + 1];
          double a2 = lower[ri + k + 2];
          double a3 = lower[ri + k + 3];
          int r0 = k * n;
          int r1 = r0 + n;
          int r2 = r1 + n;
          int r3 = r2 + n;
          for (int j = 0; j <= k; j++) {
            w[ri + j] -= a0 * w[r0 + j] + a1 * w[r1 + j] + a2 * w[r2 + j] + a3 * w[r3 + j];
          }
          w[ri + k + 1] -= a1 * w[r1 + k + 1] + a2 * w[r2 + k + 1] + a3 * w[r3 + k + 1];
          w[ri + k + 2] -= a2 * w[r2 + k + 2] + a3 * w[r3 + k + 2];
          w[ri + k + 3] -= a3 * w[r3 + k + 3];
        }
        for (; k < i0; k++) {
          double a = lower[ri + k];
          int rk = k * n;
          for (int j = 0; j <= k; j++) {
            w[ri + j] -= a * w[rk + j];
          }
        }
      }
      // Rows inside the block, in order.
      for (int i = i0; i < i1; i++) {
        int ri = i * n;
        for (int k = i0; k < i; k++) {
          double a = lower[ri + k];
          int rk = k * n;
          for (int j = 0; j <= k; j++) {
            w[ri + j] -= a * w[rk + j];
          }
        }
        double inv = 1.0 / lower[ri + i];
        for (int j = 0; j < i; j++) {
          w[ri + j] *= inv;
        }
        w[ri + i] = inv;
      }
    }
    // K^-1[i][j] = sum_{k >= i} W[k][i] W[k][j] for j <= i, accumulated a block of k at a time.
    double[] inverse = new double[n * n];
    for (int k0 = 0; k0 < n; k0 += BLOCK) {
      int k1 = Math.min(n, k0 + BLOCK);
      for (int i = 0; i < k1; i++) {
        int ri = i * n;
        int k = Math.max(k0, i);
        for (; k + 3 < k1; k += 4) {
          int r0 = k * n;
          int r1 = r0 + n;
          int r2 = r1 + n;
          int r3 = r2 + n;
          double a0 = w[r0 + i];
          double a1 = w[r1 + i];
          double a2 = w[r2 + i];
          double a3 = w[r3 + i];
          for (int j = 0; j <= i; j++) {
            inverse[ri + j] += a0 * w[r0 + j] + a1 * w[r1 + j] + a2 * w[r2 + j] + a3 * w[r3 + j];
          }
        }
        for (; k < k1; k++) {
          int rk = k * n;
          double a = w[rk + i];
          for (int j = 0; j <= i; j++) {
            inverse[ri + j] += a * w[rk + j];
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        inverse[j * n + i] = inverse[i * n + j];
      }
    }
    return inverse;
  }

  /**
   * The factor of the matrix grown by one row and column: {@code [[K, k], [k^T, kk]]}, in O(n^2).
   * Used to condition on a fantasy observation without refactorising.
   */
  public CholeskyFactor append(double[] k, double kk) {
    double[] l = k.clone();
    solveLowerInPlace(l);
    double rest = kk + jitter;
    for (double v : l) {
      rest -= v * v;
    }
    if (!(rest > 0) || !Double.isFinite(rest)) {
      throw new ModelFailure("covariance matrix lost positive definiteness when a point was appended");
    }
    int m = n + 1;
    double[] grown = new double[m * m];
    for (int i = 0; i < n; i++) {
      System.arraycopy(lower, i * n, grown, i * m, i + 1);
    }
    System.arraycopy(l, 0, grown, n * m, n);
    grown[n * m + n] = Math.sqrt(rest);
    return new CholeskyFactor(m, grown, jitter);
  }
}
