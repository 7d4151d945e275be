package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Published at {@link Addresses#EVENT_PROMPT_DECIDED} for every recorded decision about the current prompt
 * version (a {@code prompt_decisions} row). {@code kind} is one of {@link #KINDS}, {@code outcome} one of
 * {@link #OUTCOMES}; {@code abTestId} is set for A/B test decisions. {@code statistics} (the A/B figures) and
 * {@code decidedAt} (ISO-8601) are passed on as published. Ids, versions, who decided and why are never metric tags.
 */
public record PromptDecided(long id, String kind, Long abTestId, String fromVersion, String toVersion,
                            String outcome, JsonObject statistics, String decidedBy, String reason,
                            String decidedAt) {

  public static final List<String> KINDS = List.of("ab_test", "promote", "rollback", "sync",
    "learned_parameters");
  public static final List<String> OUTCOMES = List.of("promoted", "kept", "awaiting_review",
    "rolled_back", "cancelled", "synced");

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("kind", kind).put("ab_test_id", abTestId)
      .put("from_version", fromVersion).put("to_version", toVersion).put("outcome", outcome)
      .put("statistics", statistics).put("decided_by", decidedBy).put("reason", reason).put("decided_at", decidedAt);
  }

  /** Reads the event; throws {@link IllegalArgumentException} when the id is missing or a field has the wrong type. */
  public static PromptDecided fromJson(JsonObject json) {
    try {
      Long id = json.getLong("id");
      if (id == null) {
        throw new IllegalArgumentException("id is missing");
      }
      return new PromptDecided(id, json.getString("kind"), json.getLong("ab_test_id"),
        json.getString("from_version"), json.getString("to_version"), json.getString("outcome"),
        json.getJsonObject("statistics"), json.getString("decided_by"), json.getString("reason"),
        json.getString("decided_at"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a field of the decision event has the wrong type", e);
    }
  }
}
