package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Event {@link Addresses#EVENT_TEXTOPT_RUN_CHANGED}: a run changed status or made progress, with what it has spent.
 *
 * @param previousStatus the status before this change, equal to {@code status} when only the progress moved, null
 *     for a new run
 * @param iteration the iteration under way (1-based), 0 before the first
 * @param bestScore the best version's score under the run's metric, or null before the first evaluation
 */
public record TextRunChanged(long id, String status, String previousStatus, String stopReason,
                             TextRunProgress progress, int iteration, double costUsd, long tokens, Double bestScore) {

  /** Whether the status itself changed (meters count these). */
  public boolean transition() {
    return !status.equals(previousStatus);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("status", status).put("previous_status", previousStatus)
      .put("stop_reason", stopReason).put("progress", progress.toJson()).put("iteration", iteration)
      .put("cost_usd", costUsd).put("tokens", tokens).put("best_score", bestScore);
  }

  public static TextRunChanged fromJson(JsonObject json) {
    return ReplyFields.typed("a run change", () -> new TextRunChanged(json.getLong("id"), json.getString("status"),
      json.getString("previous_status"), json.getString("stop_reason"),
      TextRunProgress.fromJson(json.getJsonObject("progress")), json.getInteger("iteration"),
      json.getDouble("cost_usd"), json.getLong("tokens"), json.getDouble("best_score")));
  }
}
