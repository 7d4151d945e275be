package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Asks for a study's {@link StudyStatus}. With {@code throughRatingId} above 0 the optimizer first learns every
 * rating of the study up to that id from the view {@code rated_variants}, so the answer covers ratings just
 * committed (the rating response uses it); 0 answers with what the study knows now.
 */
public record StatusRequest(String study, long throughRatingId) {

  public StatusRequest {
    if (!ParameterSpace.isMode(study)) {
      throw new IllegalArgumentException("study must be one of " + ParameterSpace.MODES);
    }
    if (throughRatingId < 0) {
      throw new IllegalArgumentException("through_rating_id must not be negative");
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("study", study);
    return throughRatingId > 0 ? json.put("through_rating_id", throughRatingId) : json;
  }

  public static StatusRequest fromJson(JsonObject json) {
    Object study = json.getValue("study");
    Object through = json.getValue("through_rating_id", 0L);
    if (!(through instanceof Number number) || number.doubleValue() != number.longValue()) {
      throw new IllegalArgumentException("through_rating_id must be a whole number");
    }
    return new StatusRequest(study instanceof String s ? s : null, number.longValue());
  }
}
