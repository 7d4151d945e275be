package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The best prompt version a run has found so far and its scores on the evaluation rows. */
public record TextRunBest(int promptVersion, JsonObject metrics) {

  public JsonObject toJson() {
    return new JsonObject().put("prompt_version", promptVersion).put("metrics", metrics);
  }

  public static TextRunBest fromJson(JsonObject json) {
    return ReplyFields.typed("a run's best version", () -> new TextRunBest(json.getInteger("prompt_version"),
      json.getJsonObject("metrics")));
  }
}
