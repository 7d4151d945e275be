package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** One rated variant: the point it was generated at, the 1–5 rating and who gave it. */
public record Observation(GenerationParameters parameters, double rating, String rater) {

  public Observation {
    if (!(rating >= 1.0 && rating <= 5.0)) {
      throw new IllegalArgumentException("rating must be in [1, 5]");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("parameters", parameters.toJson()).put("rating", rating).put("rater", rater);
  }

  public static Observation fromJson(JsonObject json) {
    return new Observation(GenerationParameters.fromJson(json.getJsonObject("parameters")),
      json.getDouble("rating"), json.getString("rater"));
  }
}
