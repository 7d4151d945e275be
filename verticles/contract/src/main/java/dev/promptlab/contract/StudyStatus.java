package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Where a study stands. {@code bestRating} is the model's estimate (posterior mean) of the rating at its
 * best setting {@code bestParameters} (null before any observation), {@code bestLower}/{@code bestUpper}
 * the central 90 % credible interval of that estimate; {@code bestObservedAverage} is the plain average
 * of the {@code bestObservedCount} ratings actually given near that setting (null when none).
 * {@code convergence} is in [0, 1]; {@code phase1Reason} says why phase 1 ended ({@code samples},
 * {@code rating}, {@code override}) or is null while it runs; {@code phase1Detail} says in words where
 * the phase-1 rules stand. {@code bestPerApi} is the best setting found for each API the study has rated (the
 * overall best is one of them): what production uses once phase 1 is over. {@code predictedObservations} is how
 * many predicted ratings (a reward model's, of variants no one rated) the model learns beside the {@code samples}
 * ratings; they never count as samples.
 */
public record StudyStatus(String study, int samples, Double bestRating, double convergence,
                          int estimatedTrialsRemaining, boolean phase1Complete, String phase1Reason,
                          GenerationParameters bestParameters, String model, Double bestLower, Double bestUpper,
                          Double bestObservedAverage, int bestObservedCount, String phase1Detail,
                          List<BestSetting> bestPerApi, int predictedObservations) {

  public StudyStatus {
    bestPerApi = bestPerApi == null ? List.of() : List.copyOf(bestPerApi);
    if (predictedObservations < 0) {
      throw new IllegalArgumentException("predicted_observations must not be negative");
    }
  }

  /** A status whose model learns no predicted ratings. */
  public StudyStatus(String study, int samples, Double bestRating, double convergence, int estimatedTrialsRemaining,
                     boolean phase1Complete, String phase1Reason, GenerationParameters bestParameters, String model,
                     Double bestLower, Double bestUpper, Double bestObservedAverage, int bestObservedCount,
                     String phase1Detail, List<BestSetting> bestPerApi) {
    this(study, samples, bestRating, convergence, estimatedTrialsRemaining, phase1Complete, phase1Reason,
      bestParameters, model, bestLower, bestUpper, bestObservedAverage, bestObservedCount, phase1Detail, bestPerApi, 0);
  }

  /** A status without the best setting of each API. */
  public StudyStatus(String study, int samples, Double bestRating, double convergence, int estimatedTrialsRemaining,
                     boolean phase1Complete, String phase1Reason, GenerationParameters bestParameters, String model,
                     Double bestLower, Double bestUpper, Double bestObservedAverage, int bestObservedCount,
                     String phase1Detail) {
    this(study, samples, bestRating, convergence, estimatedTrialsRemaining, phase1Complete, phase1Reason,
      bestParameters, model, bestLower, bestUpper, bestObservedAverage, bestObservedCount, phase1Detail, List.of());
  }

  /** A status without the evidence figures (interval, observed average, phase-1 detail). */
  public StudyStatus(String study, int samples, Double bestRating, double convergence, int estimatedTrialsRemaining,
                     boolean phase1Complete, String phase1Reason, GenerationParameters bestParameters, String model) {
    this(study, samples, bestRating, convergence, estimatedTrialsRemaining, phase1Complete, phase1Reason,
      bestParameters, model, null, null, null, 0, null);
  }

  /** This status with phase 1 as given and its words (the figures unchanged). */
  public StudyStatus withPhaseOne(boolean complete, String reason, int trialsRemaining, String detail) {
    return new StudyStatus(study, samples, bestRating, convergence, trialsRemaining, complete, reason, bestParameters,
      model, bestLower, bestUpper, bestObservedAverage, bestObservedCount, detail, bestPerApi, predictedObservations);
  }

  /** The best setting found for {@code api}, or null when the study has rated none of that API. */
  public BestSetting bestFor(String api) {
    return bestPerApi.stream().filter(b -> b.api().equals(api)).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("study", study)
      .put("samples", samples)
      .put("best_rating", bestRating)
      .put("convergence", convergence)
      .put("estimated_trials_remaining", estimatedTrialsRemaining)
      .put("phase_1_complete", phase1Complete)
      .put("phase_1_reason", phase1Reason)
      .put("best_parameters", bestParameters == null ? null : bestParameters.toJson())
      .put("model", model)
      .put("best_lower", bestLower)
      .put("best_upper", bestUpper)
      .put("best_observed_average", bestObservedAverage)
      .put("best_observed_count", bestObservedCount)
      .put("phase_1_detail", phase1Detail)
      .put("best_per_api", new JsonArray(bestPerApi.stream().map(BestSetting::toJson).toList()))
      .put("predicted_observations", predictedObservations);
  }

  public static StudyStatus fromJson(JsonObject json) {
    JsonObject best = json.getJsonObject("best_parameters");
    JsonArray perApi = json.getJsonArray("best_per_api", new JsonArray());
    return new StudyStatus(json.getString("study"), json.getInteger("samples", 0), json.getDouble("best_rating"),
      json.getDouble("convergence", 0.0), json.getInteger("estimated_trials_remaining", 0),
      json.getBoolean("phase_1_complete", false), json.getString("phase_1_reason"),
      best == null ? null : GenerationParameters.fromJson(best), json.getString("model"), json.getDouble("best_lower"),
      json.getDouble("best_upper"), json.getDouble("best_observed_average"), json.getInteger("best_observed_count", 0),
      json.getString("phase_1_detail"),
      perApi.stream().map(o -> BestSetting.fromJson((JsonObject) o)).toList(),
      json.getInteger("predicted_observations", 0));
  }
}
