package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One bin of a reward model's calibration on its held-out ratings: the held-out variants whose prediction fell in
 * {@code [from, to)} (the last bin includes 5), how many there were, the mean of their predictions and the mean of
 * the ratings they really got. A calibrated model has both means close in every bin.
 */
public record CalibrationBin(double from, double to, int count, double meanPredicted, double meanObserved) {

  public JsonObject toJson() {
    return new JsonObject().put("from", from).put("to", to).put("count", count)
      .put("mean_predicted", meanPredicted).put("mean_observed", meanObserved);
  }

  public static CalibrationBin fromJson(JsonObject json) {
    return new CalibrationBin(json.getDouble("from"), json.getDouble("to"), json.getInteger("count"),
      json.getDouble("mean_predicted"), json.getDouble("mean_observed"));
  }
}
