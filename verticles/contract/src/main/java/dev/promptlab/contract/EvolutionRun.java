package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One prompt evolution as recorded ({@link Addresses#EVOLUTION_EVOLVE}, the entries of {@link EvolutionRuns} and
 * the running one of {@link EvolutionStatus}). {@code status} is {@code running} or one of
 * {@link EvolutionFinished#STATUSES}; {@code issues} (what the analysis found) and {@code proposal} (the LLM's
 * answer) are passed on as the evolution recorded them; times are ISO-8601; {@code abTestId} names the A/B test the
 * candidate entered, if any.
 */
public record EvolutionRun(long id, String trigger, String status, String parentVersion, String candidateVersion,
                           String provider, String model, Integer atSample, Double parentAvgRating, JsonArray issues,
                           JsonObject proposal, String reason, String requestedBy, String startedAt,
                           String finishedAt, Long abTestId) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("trigger", trigger).put("status", status)
      .put("parent_version", parentVersion).put("candidate_version", candidateVersion).put("provider", provider)
      .put("model", model).put("at_sample", atSample).put("parent_avg_rating", parentAvgRating).put("issues", issues)
      .put("proposal", proposal).put("reason", reason).put("requested_by", requestedBy).put("started_at", startedAt)
      .put("finished_at", finishedAt).put("ab_test_id", abTestId);
  }

  /** The event that announces this evolution's end. */
  public EvolutionFinished finished() {
    return new EvolutionFinished(id, trigger, status, provider, parentVersion, candidateVersion, reason);
  }

  /** Reads the record; throws {@link IllegalArgumentException} when the id is missing or a field has the wrong type. */
  public static EvolutionRun fromJson(JsonObject json) {
    return ReplyFields.typed("the evolution", () -> {
      Long id = json.getLong("id");
      if (id == null) {
        throw new IllegalArgumentException("id is missing");
      }
      return new EvolutionRun(id, json.getString("trigger"), json.getString("status"),
        json.getString("parent_version"), json.getString("candidate_version"), json.getString("provider"),
        json.getString("model"), json.getInteger("at_sample"), json.getDouble("parent_avg_rating"),
        json.getJsonArray("issues"), json.getJsonObject("proposal"), json.getString("reason"),
        json.getString("requested_by"), json.getString("started_at"), json.getString("finished_at"),
        json.getLong("ab_test_id"));
    });
  }
}
