package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Undeploy one verticle and deploy it again with fresh configuration ({@link Addresses#LAUNCHER_REDEPLOY}). */
public record RedeployRequest(String verticle) {

  public JsonObject toJson() {
    return new JsonObject().put("verticle", verticle);
  }

  public static RedeployRequest fromJson(JsonObject json) {
    return new RedeployRequest(RequestFields.requiredString(json, "verticle"));
  }
}
