package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The prompt version one sample is generated with: the current version, or an arm of a running A/B
 * test ({@code abTestId} is then set).
 */
public record PromptAssignment(String version, PromptText leonardo, PromptText stableDiffusion, Long abTestId) {

  /**
   * True when the samples are the arms of an A/B test: such a pair compares prompt versions, so its arms share one
   * point and seed and no reward model chooses among them.
   */
  public static boolean abTestArms(List<PromptAssignment> assignments) {
    return assignments.stream().anyMatch(a -> a.abTestId() != null);
  }

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
