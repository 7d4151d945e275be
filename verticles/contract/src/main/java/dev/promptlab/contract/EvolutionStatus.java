package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The prompt store's status ({@link Addresses#EVOLUTION_STATUS}): the current version and its average rating, when
 * the last evolution started (ISO-8601, null before the first), the sample count at which the triggers are checked
 * next, the configured LLM provider, and the running evolution and the open A/B test, each null when there is none.
 */
public record EvolutionStatus(String currentVersion, String lastEvolution, int nextEvolutionAtSample,
                              int samplesCollected, Double currentAvgRating, String provider,
                              EvolutionRun evolutionRunning, AbTest abTest) {

  public JsonObject toJson() {
    return new JsonObject().put("current_version", currentVersion).put("last_evolution", lastEvolution)
      .put("next_evolution_at_sample", nextEvolutionAtSample).put("samples_collected", samplesCollected)
      .put("current_avg_rating", currentAvgRating).put("provider", provider)
      .put("evolution_running", evolutionRunning == null ? null : evolutionRunning.toJson())
      .put("ab_test", abTest == null ? null : abTest.toJson());
  }

  public static EvolutionStatus fromJson(JsonObject json) {
    return ReplyFields.typed("the evolution status", () -> new EvolutionStatus(json.getString("current_version"),
      json.getString("last_evolution"), json.getInteger("next_evolution_at_sample", 0),
      json.getInteger("samples_collected", 0), json.getDouble("current_avg_rating"), json.getString("provider"),
      ReplyFields.optional(json, "evolution_running", EvolutionRun::fromJson),
      ReplyFields.optional(json, "ab_test", AbTest::fromJson)));
  }
}
