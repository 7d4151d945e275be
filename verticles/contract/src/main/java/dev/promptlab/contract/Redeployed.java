package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** A verticle was deployed again: its new deployment id and when ({@link Addresses#LAUNCHER_REDEPLOY}'s reply). */
public record Redeployed(String verticle, String deploymentId, String redeployedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("verticle", verticle).put("deployment_id", deploymentId)
      .put("redeployed_at", redeployedAt);
  }

  public static Redeployed fromJson(JsonObject json) {
    return new Redeployed(RequestFields.requiredString(json, "verticle"),
      RequestFields.requiredString(json, "deployment_id"), RequestFields.optionalString(json, "redeployed_at"));
  }
}
