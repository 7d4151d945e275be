package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The positive and negative prompt sent to one image API. */
public record PromptText(String prompt, String negativePrompt) {

  public JsonObject toJson() {
    return new JsonObject().put("prompt", prompt).put("negative_prompt", negativePrompt);
  }

  /** Reads the texts; throws {@link IllegalArgumentException} when one is not a string. */
  public static PromptText fromJson(JsonObject json) {
    return new PromptText(RequestFields.optionalString(json, "prompt"),
      RequestFields.optionalString(json, "negative_prompt"));
  }
}
