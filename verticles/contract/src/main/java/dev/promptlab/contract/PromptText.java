package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The positive and negative prompt sent to one image API. */
public record PromptText(String prompt, String negativePrompt) {

  public JsonObject toJson() {
    return new JsonObject().put("prompt", prompt).put("negative_prompt", negativePrompt);
  }

  public static PromptText fromJson(JsonObject json) {
    return new PromptText(json.getString("prompt"), json.getString("negative_prompt"));
  }
}
