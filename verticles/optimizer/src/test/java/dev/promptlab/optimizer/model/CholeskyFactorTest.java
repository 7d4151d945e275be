package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;

class CholeskyFactorTest {

  @Test
  void addsJitterWhenDuplicatesMakeTheMatrixSingular() {
    // Two identical inputs without noise: rank-deficient, factorisable only with jitter.
    double[][] x = {{0.2, 0.3}, {0.2, 0.3}, {0.8, 0.1}};
    KernelHyperparameters noiseless = new KernelHyperparameters(new double[] {-1, -1, 0, -60});
    DMatrixRMaj k = GaussianProcess.covariance(x, noiseless);
    CholeskyFactor factor = CholeskyFactor.of(k);
    assertTrue(factor.jitter() > 0);
    double[] solved = factor.solve(new double[] {1, 1, 0});
    assertTrue(Double.isFinite(solved[0]) && Double.isFinite(solved[2]));
  }

  @Test
  void solvesAndInvertsConsistently() {
    DMatrixRMaj k = new DMatrixRMaj(new double[][] {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}});
    CholeskyFactor factor = CholeskyFactor.of(k);
    assertEquals(0.0, factor.jitter());
    double[] b = {1, -2, 0.5};
    double[] x = factor.solve(b);
    for (int i = 0; i < 3; i++) {
      double row = 0;
      for (int j = 0; j < 3; j++) {
        row += k.get(i, j) * x[j];
      }
      assertEquals(b[i], row, 1e-12);
    }
    double[] inverse = factor.inverse();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double v = 0;
        for (int p = 0; p < 3; p++) {
          v += k.get(i, p) * inverse[p * 3 + j];
        }
        assertEquals(i == j ? 1.0 : 0.0, v, 1e-12);
      }
    }
    assertEquals(Math.log(4 * (3 * 2 - 0.04) - 1 * (2 - 0.1) + 0.5 * (0.2 - 1.5)), factor.logDeterminant(), 1e-12);
  }

  @Test
  void blockedInverseMatchesEjmlOnALargerMatrix() {
    // Larger than one block of rows, not a multiple of it, factorised by EJML's blocked algorithm.
    int n = 263;
    DMatrixRMaj a = RandomMatrices_DDRM.rectangle(n, n, new Random(4));
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(a, a, k);
    for (int i = 0; i < n; i++) {
      k.add(i, i, n);
    }
    DMatrixRMaj expected = k.copy();
    assertTrue(CommonOps_DDRM.invertSPD(k.copy(), expected));
    double[] inverse = CholeskyFactor.of(k).inverse();
    for (int i = 0; i < n * n; i++) {
      assertEquals(expected.data[i], inverse[i], 1e-9 * Math.max(1, Math.abs(expected.data[i])));
    }
  }

  @Test
  void rejectsMatricesThatNoJitterCanRescue() {
    DMatrixRMaj k = new DMatrixRMaj(new double[][] {{1, 0}, {0, Double.NaN}});
    assertThrows(ModelFailure.class, () -> CholeskyFactor.of(k));
    DMatrixRMaj indefinite = new DMatrixRMaj(new double[][] {{1, 3}, {3, 1}});
    assertThrows(ModelFailure.class, () -> CholeskyFactor.of(indefinite));
  }
}
