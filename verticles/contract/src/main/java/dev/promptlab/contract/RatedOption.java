package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** One stored rating with what produced the rated variant. */
public record RatedOption(String option, GenerationParameters parameters, String promptVersion, Long abTestId,
                          int rating, String comment, String rater) {

  public JsonObject toJson() {
    return new JsonObject().put("option", option).put("parameters", parameters.toJson())
      .put("prompt_version", promptVersion).put("ab_test_id", abTestId).put("rating", rating)
      .put("comment", comment).put("rater", rater);
  }

  public static RatedOption fromJson(JsonObject json) {
    return new RatedOption(json.getString("option"), GenerationParameters.fromJson(json.getJsonObject("parameters")),
      json.getString("prompt_version"), json.getLong("ab_test_id"), json.getInteger("rating"),
      json.getString("comment"), json.getString("rater"));
  }
}
