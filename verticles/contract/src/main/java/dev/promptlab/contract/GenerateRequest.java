package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Render one variant of a stored original. The provider is chosen by {@code parameters.api()};
 * {@code seed} makes the result reproducible where the provider allows it.
 */
public record GenerateRequest(long originalImageId, String mode, GenerationParameters parameters,
                              PromptText prompt, String promptVersion, long seed) {

  public JsonObject toJson() {
    return new JsonObject().put("original_image_id", originalImageId).put("mode", mode)
      .put("parameters", parameters.toJson()).put("prompt", prompt.toJson())
      .put("prompt_version", promptVersion).put("seed", seed);
  }

  public static GenerateRequest fromJson(JsonObject json) {
    return new GenerateRequest(json.getLong("original_image_id"), json.getString("mode"),
      GenerationParameters.fromJson(json.getJsonObject("parameters")), PromptText.fromJson(json.getJsonObject("prompt")),
      json.getString("prompt_version"), json.getLong("seed", 0L));
  }
}
