package dev.promptlab.reward.model;

import java.util.Locale;
import java.util.Optional;

/**
 * When a trained model may be used: enough held-out ratings and pairs to judge it, a mean absolute error at least
 * {@code maeMargin} (a share) below the mean-predicting baseline's, and a pairwise accuracy at least
 * {@code pairMargin} above chance (0.5). Until then phase 2 is "collecting data" and says which condition is
 * missing.
 */
public record ActivationRule(int minHeldOut, int minPairs, double maeMargin, double pairMargin) {

  public static final ActivationRule DEFAULT = new ActivationRule(30, 20, 0.10, 0.10);

  public ActivationRule {
    if (minHeldOut < 1 || minPairs < 1 || maeMargin < 0 || maeMargin >= 1 || pairMargin < 0 || pairMargin >= 0.5) {
      throw new IllegalArgumentException("activation rule out of range");
    }
  }

  /** Empty when the model may be used; otherwise why not, in words an admin can act on. */
  public Optional<Verdict> refusal(HeldOutMetrics m) {
    if (m.count() < minHeldOut) {
      return Optional.of(new Verdict("too_few_held_out", m.count(), minHeldOut, String.format(Locale.ROOT,
        "collecting data: %d held-out ratings of the %d needed", m.count(), minHeldOut)));
    }
    if (m.pairs() < minPairs) {
      return Optional.of(new Verdict("too_few_pairs", m.pairs(), minPairs, String.format(Locale.ROOT,
        "collecting data: %d held-out pairs rated differently of the %d needed", m.pairs(), minPairs)));
    }
    double maeLimit = (1 - maeMargin) * m.baselineMae();
    if (m.mae() > maeLimit) {
      return Optional.of(new Verdict("mae_not_better", m.mae(), maeLimit, String.format(Locale.ROOT,
        "not better than the mean: MAE %.3f, needs at most %.3f (baseline %.3f)", m.mae(), maeLimit,
        m.baselineMae())));
    }
    if (m.pairwiseAccuracy() < 0.5 + pairMargin) {
      return Optional.of(new Verdict("pairs_not_better", m.pairwiseAccuracy(), 0.5 + pairMargin,
        String.format(Locale.ROOT, "not better than chance on pairs: %.1f %%, needs %.1f %%",
          100 * m.pairwiseAccuracy(), 100 * (0.5 + pairMargin))));
    }
    return Optional.empty();
  }
}
