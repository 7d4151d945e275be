package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The ratings of one arm of an A/B test: how many, their mean and standard deviation (4 decimals; null while the
 * arm has too few ratings for the figure).
 */
public record AbTestArm(int count, Double avgRating, Double sd) {

  public JsonObject toJson() {
    return new JsonObject().put("count", count).put("avg_rating", avgRating).put("sd", sd);
  }

  public static AbTestArm fromJson(JsonObject json) {
    return ReplyFields.typed("the A/B test arm", () -> new AbTestArm(json.getInteger("count", 0),
      json.getDouble("avg_rating"), json.getDouble("sd")));
  }
}
