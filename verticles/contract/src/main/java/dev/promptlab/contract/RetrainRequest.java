package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Asks the reward verticle to train a model now (an admin's button), whatever the count of new ratings. */
public record RetrainRequest(String requestedBy) {

  public JsonObject toJson() {
    return new JsonObject().put("requested_by", requestedBy);
  }

  /** {@code requested_by} is at most 320 characters, {@code admin} when absent. */
  public static RetrainRequest fromJson(JsonObject json) {
    return new RetrainRequest(Requester.read(json));
  }
}
