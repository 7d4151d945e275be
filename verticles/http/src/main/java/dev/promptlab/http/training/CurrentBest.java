package dev.promptlab.http.training;

import dev.promptlab.contract.BestSetting;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.StudyStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A study's best setting as the status and the history both show it — one builder, so they always name the same
 * parameters: the model's estimate with its 90 % interval, and apart the plain average and count of the ratings
 * given near the setting.
 */
final class CurrentBest {

  private CurrentBest() {
  }

  /** The study's best setting overall, or, with {@code api}, the best of that API; all fields null when unknown. */
  static JsonObject of(StudyStatus study, String api) {
    if (study == null || study.bestParameters() == null) {
      return none();
    }
    if (api != null) {
      BestSetting best = study.bestFor(api);
      return best == null ? none() : json(best.parameters(), best.estimate(), best.lower(), best.upper(),
        best.observedAverage(), best.ratings());
    }
    return json(study.bestParameters(), study.bestRating(), study.bestLower(), study.bestUpper(),
      study.bestObservedAverage(), study.bestObservedCount());
  }

  static JsonObject none() {
    return new JsonObject().putNull("api").putNull("avg_rating").put("ratings", 0).putNull("estimated_rating")
      .putNull("estimated_rating_interval").putNull("parameters");
  }

  private static JsonObject json(GenerationParameters parameters, Double estimate, Double lower, Double upper,
                                 Double observedAverage, int ratings) {
    return new JsonObject().put("api", parameters.api())
      .put("avg_rating", round(observedAverage))
      .put("ratings", ratings)
      .put("estimated_rating", round(estimate))
      .put("estimated_rating_interval", lower == null || upper == null ? null
        : new JsonArray().add(round(lower)).add(round(upper)))
      .put("parameters", parameters.toSeedJson());
  }

  private static Double round(Double value) {
    return value == null ? null : HistoryAnalytics.round2(value);
  }
}
