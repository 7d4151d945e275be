package dev.promptlab.optimizer;

import dev.promptlab.optimizer.model.HyperparameterFitter;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.optimizer.study.PredictionWeighting;
import dev.promptlab.optimizer.study.StudyLimits;
import io.vertx.core.json.JsonObject;

/**
 * The optimizer verticle's config slice, validated. Every key is optional except {@code db}; the module
 * README lists them with their defaults.
 */
record OptimizerConfig(JsonObject db, int poolSize, long seed, OptimizerSettings settings, StudyLimits limits,
                       long modelTimeoutMs, boolean usePredictedRatings, PredictionWeighting predictionWeighting) {

  static OptimizerConfig from(JsonObject json) {
    JsonObject db = json.getJsonObject("db");
    if (db == null) {
      throw new IllegalArgumentException("optimizer config needs a \"db\" object (PgConnectOptions JSON)");
    }
    OptimizerSettings d = OptimizerSettings.defaults();
    HyperparameterFitter.Bounds bounds = d.bounds();
    OptimizerSettings settings = new OptimizerSettings(
      intValue(json, "initial_design", d.initialDesign()),
      intValue(json, "candidates", d.candidates()),
      intValue(json, "local_candidates", d.localCandidates()),
      d.localSpread(),
      intValue(json, "polish_starts", d.polishStarts()),
      d.polishIterations(),
      acquisition(json, d.acquisition()),
      doubleValue(json, "noise_margin", d.noiseMargin()),
      doubleValue(json, "ucb_width", d.confidenceWidth()),
      doubleValue(json, "min_separation", d.minSeparation()),
      intValue(json, "restarts", d.restarts()),
      d.fitIterations(),
      intValue(json, "restart_subsample", d.restartSubsample()),
      bounds,
      d.prior(),
      booleanValue(json, "estimate_mean", d.estimateMean()));
    StudyLimits l = StudyLimits.defaults();
    StudyLimits limits = new StudyLimits(
      intValue(json, "max_samples", l.maxSamples()),
      doubleValue(json, "target_rating", l.targetRating()),
      doubleValue(json, "improvement_step", l.improvementStep()),
      intValue(json, "max_model_observations", l.maxModelObservations()),
      longValue(json, "pending_ttl_ms", l.pendingTtlMs()),
      intValue(json, "exploit_last", l.exploitLast()),
      intValue(json, "explore_every", l.exploreEvery()),
      doubleValue(json, "spread_below", l.spreadBelow()));
    long timeout = longValue(json, "model_timeout_ms", 5000);
    if (timeout < 1) {
      throw new IllegalArgumentException("model_timeout_ms must be positive");
    }
    // The launcher puts the pool size inside the db object; a top-level key wins when both are given.
    int pool = intValue(json, "pool_size", intValue(db, "pool_size", 4));
    if (pool < 1) {
      throw new IllegalArgumentException("pool_size must be positive");
    }
    PredictionWeighting w = PredictionWeighting.defaults();
    PredictionWeighting weighting = new PredictionWeighting(
      doubleValue(json, "predicted_noise_factor", w.noiseFactor()),
      intValue(json, "max_predicted", w.maxObservations()),
      doubleValue(json, "predicted_overtaken_within", w.overtakenWithin()));
    return new OptimizerConfig(db, pool, longValue(json, "seed", 42L), settings, limits, timeout,
      booleanValue(json, "use_predicted_ratings", false), weighting);
  }

  private static Number number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof Number)) {
      throw new IllegalArgumentException("optimizer config: " + key + " must be a number");
    }
    return (Number) value;
  }

  private static int intValue(JsonObject json, String key, int fallback) {
    Number n = number(json, key);
    if (n != null && n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException("optimizer config: " + key + " must be a whole number");
    }
    return n == null ? fallback : n.intValue();
  }

  private static long longValue(JsonObject json, String key, long fallback) {
    Number n = number(json, key);
    return n == null ? fallback : n.longValue();
  }

  private static boolean booleanValue(JsonObject json, String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof Boolean)) {
      throw new IllegalArgumentException("optimizer config: " + key + " must be true or false");
    }
    return value == null ? fallback : (Boolean) value;
  }

  private static OptimizerSettings.Acquisition acquisition(JsonObject json, OptimizerSettings.Acquisition fallback) {
    Object value = json.getValue("acquisition");
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("optimizer config: acquisition must be \"ucb\" or \"ei\"");
    }
    return value == null ? fallback : OptimizerSettings.Acquisition.fromKey((String) value);
  }

  private static double doubleValue(JsonObject json, String key, double fallback) {
    Number n = number(json, key);
    return n == null ? fallback : n.doubleValue();
  }
}
