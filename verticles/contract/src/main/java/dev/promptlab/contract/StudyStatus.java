package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Where a study stands. {@code bestRating} is the best posterior-mean rating over observed points
 * (null before any observation); {@code convergence} is in [0, 1]; {@code phase1Reason} says why
 * phase 1 ended ({@code samples}, {@code rating}, {@code override}) or is null while it runs.
 */
public record StudyStatus(String study, int samples, Double bestRating, double convergence,
                          int estimatedTrialsRemaining, boolean phase1Complete, String phase1Reason,
                          GenerationParameters bestParameters, String model) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("study", study)
      .put("samples", samples)
      .put("best_rating", bestRating)
      .put("convergence", convergence)
      .put("estimated_trials_remaining", estimatedTrialsRemaining)
      .put("phase_1_complete", phase1Complete)
      .put("phase_1_reason", phase1Reason)
      .put("best_parameters", bestParameters == null ? null : bestParameters.toJson())
      .put("model", model);
  }

  public static StudyStatus fromJson(JsonObject json) {
    JsonObject best = json.getJsonObject("best_parameters");
    return new StudyStatus(json.getString("study"), json.getInteger("samples", 0), json.getDouble("best_rating"),
      json.getDouble("convergence", 0.0), json.getInteger("estimated_trials_remaining", 0),
      json.getBoolean("phase_1_complete", false), json.getString("phase_1_reason"),
      best == null ? null : GenerationParameters.fromJson(best), json.getString("model"));
  }
}
