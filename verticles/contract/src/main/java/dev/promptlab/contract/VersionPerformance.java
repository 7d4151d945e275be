package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * How a prompt version has done so far: its average rating and number of rated samples, its share of won A/B
 * comparisons, and when it was last used (ISO-8601); each null until there is something to show.
 */
public record VersionPerformance(Double avgRating, Integer sampleCount, Double winRate, String lastUsed) {

  public JsonObject toJson() {
    return new JsonObject().put("avg_rating", avgRating).put("sample_count", sampleCount).put("win_rate", winRate)
      .put("last_used", lastUsed);
  }

  public static VersionPerformance fromJson(JsonObject json) {
    return ReplyFields.typed("the version performance", () -> new VersionPerformance(json.getDouble("avg_rating"),
      json.getInteger("sample_count"), json.getDouble("win_rate"), json.getString("last_used")));
  }
}
