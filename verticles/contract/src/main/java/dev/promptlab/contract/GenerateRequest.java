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

  /** Reads and checks a request; throws {@link IllegalArgumentException} naming the field that is wrong. */
  public static GenerateRequest fromJson(JsonObject json) {
    long original = RequestFields.requiredWholeNumber(json, "original_image_id", 1, Long.MAX_VALUE);
    GenerationParameters parameters = GenerationParameters.fromJson(RequestFields.requiredObject(json, "parameters",
      "api, strength, guidance_scale, control_weight"));
    PromptText prompt = PromptText.fromJson(RequestFields.requiredObject(json, "prompt", "prompt and negative_prompt"));
    String mode = RequestFields.optionalString(json, "mode");
    if (!ParameterSpace.isMode(mode)) {
      throw new IllegalArgumentException("mode must be one of " + ParameterSpace.MODES);
    }
    return new GenerateRequest(original, mode, parameters, prompt, RequestFields.optionalString(json, "prompt_version"),
      RequestFields.wholeNumber(json, "seed", Long.MIN_VALUE, Long.MAX_VALUE, 0L));
  }
}
