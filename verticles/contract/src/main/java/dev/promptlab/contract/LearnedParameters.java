package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Parameters a study learned for one API, with their provenance: the study (mode) and how many ratings it had
 * learnt ({@code samples}), why its phase 1 ended, the model's estimate at the setting with its central 90 %
 * interval, the number of ratings given near it and their plain average (null when none), and when they were
 * written into a prompt version ({@code learnedAt}, ISO-8601). Stored in a prompt version's
 * {@code metadata.learned_parameters.<mode>.<api>} and served to production callers.
 */
public record LearnedParameters(String study, GenerationParameters parameters, int samples, int ratings,
                                double estimate, double lower, double upper, Double observedAverage,
                                String phase1Reason, String learnedAt) {

  public LearnedParameters {
    if (!ParameterSpace.isMode(study)) {
      throw new IllegalArgumentException("study must be one of " + ParameterSpace.MODES);
    }
    if (parameters == null) {
      throw new IllegalArgumentException("parameters are required");
    }
    if (samples < 0 || ratings < 0) {
      throw new IllegalArgumentException("samples and ratings must not be negative");
    }
  }

  /** What {@code study} publishes for {@code best}'s API, learnt at {@code learnedAt}. */
  public static LearnedParameters of(StudyStatus study, BestSetting best, String learnedAt) {
    return new LearnedParameters(study.study(), best.parameters(), study.samples(), best.ratings(), best.estimate(),
      best.lower(), best.upper(), best.observedAverage(), study.phase1Reason(), learnedAt);
  }

  public JsonObject toJson() {
    return new JsonObject().put("study", study).put("parameters", parameters.toJson()).put("samples", samples)
      .put("ratings", ratings).put("estimate", estimate).put("lower", lower).put("upper", upper)
      .put("observed_average", observedAverage).put("phase_1_reason", phase1Reason).put("learned_at", learnedAt);
  }

  public static LearnedParameters fromJson(JsonObject json) {
    return new LearnedParameters(json.getString("study"), GenerationParameters.fromJson(json.getJsonObject("parameters")),
      json.getInteger("samples", 0), json.getInteger("ratings", 0), json.getDouble("estimate"), json.getDouble("lower"),
      json.getDouble("upper"), json.getDouble("observed_average"), json.getString("phase_1_reason"),
      json.getString("learned_at"));
  }
}
