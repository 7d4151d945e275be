package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Published at {@link Addresses#EVENT_EVOLUTION_FINISHED} once a prompt evolution has ended, whatever its end.
 * {@code trigger} is one of {@link #TRIGGERS}, {@code status} one of {@link #STATUSES}, {@code provider} the
 * configured LLM provider ({@code offline}, {@code openai}); versions and the reason are free text (the reason
 * is null for a success). The id, versions and reason are never metric tags.
 */
public record EvolutionFinished(long id, String trigger, String status, String provider, String parentVersion,
                                String candidateVersion, String reason) {

  public static final List<String> TRIGGERS = List.of("periodic", "low_performance", "plateau",
    "manual");
  public static final List<String> STATUSES = List.of("succeeded", "refused", "failed");

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("trigger", trigger).put("status", status).put("provider", provider)
      .put("parent_version", parentVersion).put("candidate_version", candidateVersion).put("reason", reason);
  }

  /** Reads the event; throws {@link IllegalArgumentException} when the id is missing or a field has the wrong type. */
  public static EvolutionFinished fromJson(JsonObject json) {
    try {
      Long id = json.getLong("id");
      if (id == null) {
        throw new IllegalArgumentException("id is missing");
      }
      return new EvolutionFinished(id, json.getString("trigger"), json.getString("status"),
        json.getString("provider"), json.getString("parent_version"), json.getString("candidate_version"),
        json.getString("reason"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a field of the evolution event has the wrong type", e);
    }
  }
}
