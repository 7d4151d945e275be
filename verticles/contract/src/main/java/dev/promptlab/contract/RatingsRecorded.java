package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Published right after ratings were committed, before anything else is asked. {@code samplesCollected} counts
 * all rated variants of the mode after this commit, so listeners can fire triggers on exact sample numbers. The
 * stored ratings stay readable in the view {@code rated_variants}: a listener that missed this event finds them
 * there by rating id, so the event is a prompt to catch up and its content a hint, never the only copy.
 */
public record RatingsRecorded(String experimentId, String mode, List<RatedOption> ratings, int samplesCollected) {

  public RatingsRecorded {
    ratings = List.copyOf(ratings);
  }

  /** The highest rating id of this commit (0 when it stored none). */
  public long throughRatingId() {
    return ratings.stream().mapToLong(RatedOption::ratingId).max().orElse(0);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    ratings.forEach(r -> list.add(r.toJson()));
    return new JsonObject().put("experiment_id", experimentId).put("mode", mode).put("ratings", list)
      .put("samples_collected", samplesCollected);
  }

  public static RatingsRecorded fromJson(JsonObject json) {
    JsonArray ratings = json.getJsonArray("ratings");
    if (ratings == null) {
      throw new IllegalArgumentException("ratings must be an array");
    }
    return new RatingsRecorded(json.getString("experiment_id"), json.getString("mode"),
      ratings.stream().map(o -> RatedOption.fromJson((JsonObject) o)).toList(),
      json.getInteger("samples_collected", 0));
  }
}
