package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One trained reward model with its held-out figures (null when there was too little data to judge it): mean
 * absolute error and the baseline's (the training mean), the share within half a star, Spearman's rho and the
 * pairwise accuracy over the held-out comparisons rated differently. {@code active}: the one used for predictions;
 * {@code reason} says why it is or is not.
 */
public record RewardModelSummary(long version, String trainedAt, boolean active, String reason, int trainingRows,
                                 int heldOutRows, Double mae, Double baselineMae, Double withinHalfStar,
                                 Double spearman, Integer pairs, Double pairwiseAccuracy) {

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("trained_at", trainedAt).put("active", active)
      .put("reason", reason).put("training_rows", trainingRows).put("held_out_rows", heldOutRows)
      .put("mae", mae).put("baseline_mae", baselineMae).put("within_half_star", withinHalfStar)
      .put("spearman", spearman).put("pairs", pairs).put("pairwise_accuracy", pairwiseAccuracy);
  }

  public static RewardModelSummary fromJson(JsonObject json) {
    return new RewardModelSummary(json.getLong("version"), json.getString("trained_at"), json.getBoolean("active"),
      json.getString("reason"), json.getInteger("training_rows"), json.getInteger("held_out_rows"),
      json.getDouble("mae"), json.getDouble("baseline_mae"), json.getDouble("within_half_star"),
      json.getDouble("spearman"), json.getInteger("pairs"), json.getDouble("pairwise_accuracy"));
  }
}
