package dev.promptlab.reward.model;

/**
 * Whether a training run's model may be used, as a code with the figure that decided it and the figure it needed,
 * so a page can say it in its own language, and as an English sentence for the log and the API. Codes:
 * {@code active}; {@code too_few_rows} (rated variants to fit on, need {@link RewardTrainer#MIN_ROWS});
 * {@code no_held_out} (no comparison fell in the held-out part yet); {@code too_few_held_out} and
 * {@code too_few_pairs} (held-out ratings and differently rated held-out pairs, against the rule's minimums);
 * {@code mae_not_better} (held-out MAE against the most it may be); {@code pairs_not_better} (pairwise accuracy
 * against the least it must be).
 */
public record Verdict(String code, double have, double need, String text) {

  public static final Verdict ACTIVE = new Verdict("active", 0, 0, "active");

  public boolean active() {
    return ACTIVE.code.equals(code);
  }
}
