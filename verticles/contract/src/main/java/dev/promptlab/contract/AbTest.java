package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One A/B test between the current version ({@code controlVersion}) and an evolved candidate, as
 * {@link Addresses#EVOLUTION_AB_TESTS} lists it and {@link EvolutionStatus} shows the open one. {@code status} is
 * {@code running}, {@code awaiting_review}, {@code decided} or {@code cancelled}; the tallies are as stored at the
 * last rating pass; {@code result} (the statistics of the decision) is passed on as recorded; times are ISO-8601.
 */
public record AbTest(long id, Long evolutionId, String controlVersion, String candidateVersion, String status,
                     int samplesPerArm, long slotsAssigned, AbTestArm control, AbTestArm candidate, String outcome,
                     JsonObject result, String startedAt, String endedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("evolution_id", evolutionId).put("control_version", controlVersion)
      .put("candidate_version", candidateVersion).put("status", status).put("samples_per_arm", samplesPerArm)
      .put("slots_assigned", slotsAssigned).put("control", control.toJson()).put("candidate", candidate.toJson())
      .put("outcome", outcome).put("result", result).put("started_at", startedAt).put("ended_at", endedAt);
  }

  /** Reads the test; throws {@link IllegalArgumentException} when the id is missing or a field has the wrong type. */
  public static AbTest fromJson(JsonObject json) {
    return ReplyFields.typed("the A/B test", () -> {
      Long id = json.getLong("id");
      if (id == null) {
        throw new IllegalArgumentException("id is missing");
      }
      AbTestArm control = ReplyFields.optional(json, "control", AbTestArm::fromJson);
      AbTestArm candidate = ReplyFields.optional(json, "candidate", AbTestArm::fromJson);
      if (control == null || candidate == null) {
        throw new IllegalArgumentException("both arms are required");
      }
      return new AbTest(id, json.getLong("evolution_id"), json.getString("control_version"),
        json.getString("candidate_version"), json.getString("status"), json.getInteger("samples_per_arm", 0),
        json.getLong("slots_assigned", 0L), control, candidate, json.getString("outcome"),
        json.getJsonObject("result"), json.getString("started_at"), json.getString("ended_at"));
    });
  }
}
