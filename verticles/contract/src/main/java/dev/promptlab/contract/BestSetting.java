package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The best setting a study has found for one API: among the settings of that API it has rated, the one whose
 * model estimate is highest, with the central 90 % interval of that estimate and the plain average of the
 * {@code ratings} given near it (null when none).
 */
public record BestSetting(GenerationParameters parameters, double estimate, double lower, double upper, int ratings,
                          Double observedAverage) {

  public BestSetting {
    if (parameters == null) {
      throw new IllegalArgumentException("parameters are required");
    }
    if (ratings < 0) {
      throw new IllegalArgumentException("ratings must not be negative");
    }
  }

  public String api() {
    return parameters.api();
  }

  public JsonObject toJson() {
    return new JsonObject().put("parameters", parameters.toJson()).put("estimate", estimate).put("lower", lower)
      .put("upper", upper).put("ratings", ratings).put("observed_average", observedAverage);
  }

  public static BestSetting fromJson(JsonObject json) {
    return new BestSetting(GenerationParameters.fromJson(json.getJsonObject("parameters")), json.getDouble("estimate"),
      json.getDouble("lower"), json.getDouble("upper"), json.getInteger("ratings", 0),
      json.getDouble("observed_average"));
  }
}
