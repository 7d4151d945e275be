package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Published after ratings were committed. {@code samplesCollected} counts all rated variants of the
 * mode after this commit, so listeners can fire triggers on exact sample numbers.
 */
public record RatingsRecorded(String experimentId, String mode, List<RatedOption> ratings, int samplesCollected) {

  public RatingsRecorded {
    ratings = List.copyOf(ratings);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    ratings.forEach(r -> list.add(r.toJson()));
    return new JsonObject().put("experiment_id", experimentId).put("mode", mode).put("ratings", list)
      .put("samples_collected", samplesCollected);
  }

  public static RatingsRecorded fromJson(JsonObject json) {
    return new RatingsRecorded(json.getString("experiment_id"), json.getString("mode"),
      json.getJsonArray("ratings").stream().map(o -> RatedOption.fromJson((JsonObject) o)).toList(),
      json.getInteger("samples_collected", 0));
  }
}
