package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The answer to a promotion or a rollback ({@link Addresses#EVOLUTION_PROMOTE}, {@link Addresses#EVOLUTION_ROLLBACK}):
 * the version now current, the one it replaced, and the decision recorded.
 */
public record DecisionReply(String currentVersion, String previousVersion, PromptDecided decision) {

  public JsonObject toJson() {
    return new JsonObject().put("current_version", currentVersion).put("previous_version", previousVersion)
      .put("decision", decision.toJson());
  }

  public static DecisionReply fromJson(JsonObject json) {
    return new DecisionReply(json.getString("current_version"), json.getString("previous_version"),
      PromptDecided.fromJson(json.getJsonObject("decision", new JsonObject())));
  }
}
