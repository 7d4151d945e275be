package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The reward model's rating of a variant (1-5) and its uncertainty (one standard deviation of a trainer's rating
 * there, in stars), by model {@code modelVersion}; {@code active} false when that model has not earned its use
 * yet (the prediction is then for inspection only).
 */
public record PredictedRating(double predictedRating, double uncertainty, long modelVersion, boolean active) {

  public JsonObject toJson() {
    return new JsonObject().put("predicted_rating", predictedRating).put("uncertainty", uncertainty)
      .put("model_version", modelVersion).put("active", active);
  }

  public static PredictedRating fromJson(JsonObject json) {
    return new PredictedRating(json.getDouble("predicted_rating"), json.getDouble("uncertainty"),
      json.getLong("model_version"), json.getBoolean("active"));
  }
}
