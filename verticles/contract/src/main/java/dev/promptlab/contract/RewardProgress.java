package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One step of the reward verticle's feature backfill: rated variants whose features were computed in this step,
 * those whose images could not be read (tried again on the next pass), and how many still wait after it.
 */
public record RewardProgress(int computed, int failed, int pending) {

  public JsonObject toJson() {
    return new JsonObject().put("computed", computed).put("failed", failed).put("pending", pending);
  }

  public static RewardProgress fromJson(JsonObject json) {
    return new RewardProgress(json.getInteger("computed"), json.getInteger("failed"), json.getInteger("pending"));
  }
}
