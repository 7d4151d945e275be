package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Phase 2 as the status shows it: whether a reward model is active, how many rated variants it can learn from
 * ({@code samples}: ratings whose images have features), the newest model (null before the first), the reason in
 * words ("collecting data: ...", "active"), the learned embedding in use (null: hand-made features only) and how
 * many images still wait for their features.
 */
public record RewardStatus(boolean active, int samples, RewardModelSummary latest, String reason,
                           String embeddingModel, int featuresPending) {

  public JsonObject toJson() {
    return new JsonObject().put("active", active).put("samples", samples)
      .put("latest_model", latest == null ? null : latest.toJson()).put("reason", reason)
      .put("embedding_model", embeddingModel).put("features_pending", featuresPending);
  }

  public static RewardStatus fromJson(JsonObject json) {
    JsonObject latest = json.getJsonObject("latest_model");
    return new RewardStatus(json.getBoolean("active"), json.getInteger("samples"),
      latest == null ? null : RewardModelSummary.fromJson(latest), json.getString("reason"),
      json.getString("embedding_model"), json.getInteger("features_pending"));
  }
}
