package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One stored rating with what produced the rated variant. {@code ratingId} is the rating's id in the http
 * verticle's published view {@code rated_variants}: ids grow in commit order.
 */
public record RatedOption(long ratingId, String option, GenerationParameters parameters, String promptVersion,
                          Long abTestId, int rating, String comment, String rater) {

  public JsonObject toJson() {
    return new JsonObject().put("rating_id", ratingId).put("option", option).put("parameters", parameters.toJson())
      .put("prompt_version", promptVersion).put("ab_test_id", abTestId).put("rating", rating)
      .put("comment", comment).put("rater", rater);
  }

  public static RatedOption fromJson(JsonObject json) {
    Long ratingId = json.getLong("rating_id");
    if (ratingId == null || ratingId < 1) {
      throw new IllegalArgumentException("rating_id must be a positive number");
    }
    return new RatedOption(ratingId, json.getString("option"),
      GenerationParameters.fromJson(json.getJsonObject("parameters")), json.getString("prompt_version"),
      json.getLong("ab_test_id"), json.getInteger("rating"), json.getString("comment"), json.getString("rater"));
  }
}
