package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The prompt version one sample is generated with: the current version, or an arm of a running A/B
 * test ({@code abTestId} is then set).
 */
public record PromptAssignment(String version, PromptText leonardo, PromptText stableDiffusion, Long abTestId) {

  /** The prompt for the API that renders the variant. */
  public PromptText forApi(String api) {
    return ParameterSpace.LEONARDO.equals(api) ? leonardo : stableDiffusion;
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("leonardo", leonardo.toJson())
      .put("stablediffusion", stableDiffusion.toJson()).put("ab_test_id", abTestId);
  }

  public static PromptAssignment fromJson(JsonObject json) {
    return new PromptAssignment(json.getString("version"), PromptText.fromJson(json.getJsonObject("leonardo")),
      PromptText.fromJson(json.getJsonObject("stablediffusion")), json.getLong("ab_test_id"));
  }
}
