package dev.promptlab.reward.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trains and judges a reward model: the rated variants are split by comparison (about {@link #HELD_OUT_SHARE} of
 * the experiments held out, chosen by a hash of the experiment id, so a comparison stays on one side and keeps
 * its side from one retraining to the next), a model is fitted on the rest and measured on the held-out part
 * against the mean-predicting baseline; the {@link ActivationRule} decides whether it may be used. A model that
 * may be used is then refitted on every rating, so the served model has seen all the data; its figures are the
 * held-out ones. Pure; may take seconds on thousands of ratings: run it on a worker.
 */
public final class RewardTrainer {

  static final double HELD_OUT_SHARE = 0.2;
  /** Fewer rows than this cannot be split into a model and a judgement of it. */
  static final int MIN_ROWS = 10;

  private final ActivationRule rule;

  public RewardTrainer(ActivationRule rule) {
    this.rule = rule;
  }

  /** A training run's result; {@code model} and {@code metrics} are null when there was too little data to fit one. */
  public record Outcome(RewardModel model, HeldOutMetrics metrics, Verdict verdict, int trainingRows,
                        int heldOutRows) {

    public boolean active() {
      return verdict.active();
    }

    public String reason() {
      return verdict.text();
    }
  }

  public Outcome train(List<RatedVariant> rows) {
    List<RatedVariant> training = new ArrayList<>();
    List<RatedVariant> heldOut = new ArrayList<>();
    for (RatedVariant row : rows) {
      (heldOut(row.experimentId()) ? heldOut : training).add(row);
    }
    if (training.size() < MIN_ROWS) {
      return new Outcome(null, null, new Verdict("too_few_rows", training.size(), MIN_ROWS,
        "collecting data: " + rows.size() + " rated variants"), training.size(), heldOut.size());
    }
    if (heldOut.isEmpty()) {
      return new Outcome(null, null, new Verdict("no_held_out", 0, 1,
        "collecting data: " + rows.size() + " rated variants, none held out yet"), training.size(), 0);
    }
    RewardModel candidate = RewardModel.fit(training);
    double[] predicted = heldOut.stream().mapToDouble(r -> candidate.predict(r).rating()).toArray();
    double mean = training.stream().mapToDouble(RatedVariant::rating).average().orElse(3);
    HeldOutMetrics metrics = HeldOutMetrics.of(heldOut, predicted, mean);
    Optional<Verdict> refusal = rule.refusal(metrics);
    if (refusal.isPresent()) {
      return new Outcome(candidate, metrics, refusal.get(), training.size(), heldOut.size());
    }
    return new Outcome(RewardModel.fit(rows), metrics, Verdict.ACTIVE, training.size(), heldOut.size());
  }

  /** Whether an experiment is in the held-out part: a fixed hash, so its side never changes. */
  public static boolean heldOut(long experimentId) {
    long z = experimentId + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return Long.remainderUnsigned(z, 1000) < HELD_OUT_SHARE * 1000;
  }
}
