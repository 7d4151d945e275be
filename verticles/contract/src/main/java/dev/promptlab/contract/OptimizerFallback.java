package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Published at {@link Addresses#EVENT_OPTIMIZER_FALLBACK} when the optimizer could not answer and random parameters
 * were used: by the optimizer when its model could not answer, by a caller when the optimizer did not. The reason
 * is for people and logs, never a metric tag.
 */
public record OptimizerFallback(String study, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("study", study).put("reason", reason);
  }

  /** Reads the event; throws {@link IllegalArgumentException} when the study is missing or a field not a string. */
  public static OptimizerFallback fromJson(JsonObject json) {
    return new OptimizerFallback(RequestFields.requiredString(json, "study"),
      RequestFields.optionalString(json, "reason"));
  }
}
