package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Asks the reward model for the rating of a stored variant: its image, its original's, the settings and the prompt
 * version that made it ({@code promptVersion}; null: not known, read as the average version), and optionally the
 * trainer the prediction is for ({@code rater}, the account name ratings carry; null: the average trainer).
 */
public record PredictRatingRequest(long variantImageId, long originalImageId, GenerationParameters parameters,
                                   String promptVersion, String rater) {

  public PredictRatingRequest {
    if (variantImageId < 1 || originalImageId < 1) {
      throw new IllegalArgumentException("variant_image_id and original_image_id must be image ids");
    }
    if (parameters == null) {
      throw new IllegalArgumentException("parameters are required");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("variant_image_id", variantImageId).put("original_image_id", originalImageId)
      .put("parameters", parameters.toJson()).put("prompt_version", promptVersion).put("rater", rater);
  }

  public static PredictRatingRequest fromJson(JsonObject json) {
    return new PredictRatingRequest(
      RequestFields.requiredWholeNumber(json, "variant_image_id", 1, Long.MAX_VALUE),
      RequestFields.requiredWholeNumber(json, "original_image_id", 1, Long.MAX_VALUE),
      GenerationParameters.fromJson(RequestFields.requiredObject(json, "parameters",
        "api, strength, guidance_scale and control_weight")),
      RequestFields.boundedString(json, "prompt_version", 64),
      RequestFields.boundedString(json, "rater", 320));
  }
}
