package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * What a text-prompt optimisation run is asked to do: the dataset and the prompt it starts from, the metric it
 * improves (with the metric's options: {@code json_schema} for the {@code json_schema} metric, {@code pattern} for
 * {@code regex}), and when it stops. In JSON its fields sit at the top level of the run.
 *
 * @param metricOptions the metric's options, an empty object when it takes none
 * @param targetThreshold the run succeeds once the metric reaches it on the evaluation rows, in [0, 1]
 * @param patience iterations in a row without an accepted candidate after which the run stops
 * @param maxIterations the most optimisation rounds
 * @param candidatesPerIteration how many prompts the optimizer model proposes per round
 * @param budgetUsd the most the run may spend on model calls, or null for no limit but the iterations
 * @param margin how much a candidate must beat the incumbent by on the evaluation rows to replace it, in [0, 1)
 */
public record TextRunSettings(long datasetId, long promptId, String targetMetric, JsonObject metricOptions,
                              double targetThreshold, int patience, int maxIterations, int candidatesPerIteration,
                              Double budgetUsd, double margin) {

  public static final double DEFAULT_THRESHOLD = 0.90;
  public static final int DEFAULT_PATIENCE = 3;
  public static final int DEFAULT_MAX_ITERATIONS = 10;
  public static final int DEFAULT_CANDIDATES = 3;
  public static final double DEFAULT_MARGIN = 0.01;
  public static final int MAX_PATIENCE = 100;
  public static final int MAX_ITERATIONS = 100;
  public static final int MAX_CANDIDATES = 10;

  public TextRunSettings {
    metricOptions = metricOptions == null ? new JsonObject() : metricOptions.copy();
  }

  /** Writes the settings into {@code json} (a run, a request). */
  public JsonObject writeInto(JsonObject json) {
    return json.put("dataset_id", datasetId).put("prompt_id", promptId).put("target_metric", targetMetric)
      .put("metric_options", metricOptions.copy()).put("target_threshold", targetThreshold).put("patience", patience)
      .put("max_iterations", maxIterations).put("candidates_per_iteration", candidatesPerIteration)
      .put("budget_usd", budgetUsd).put("margin", margin);
  }

  public JsonObject toJson() {
    return writeInto(new JsonObject());
  }

  /**
   * Reads and checks the settings; absent stop rules take the defaults (threshold {@value #DEFAULT_THRESHOLD},
   * patience {@value #DEFAULT_PATIENCE}, {@value #DEFAULT_MAX_ITERATIONS} iterations, {@value #DEFAULT_CANDIDATES}
   * candidates, margin {@value #DEFAULT_MARGIN}, no budget). Whether the dataset, the prompt and the metric exist is
   * for the run's owner to say.
   */
  public static TextRunSettings fromJson(JsonObject json) {
    long dataset = RequestFields.requiredWholeNumber(json, "dataset_id", 1, Long.MAX_VALUE);
    long prompt = RequestFields.requiredWholeNumber(json, "prompt_id", 1, Long.MAX_VALUE);
    String metric = RequestFields.requiredString(json, "target_metric");
    Object options = json.getValue("metric_options");
    if (options != null && !(options instanceof JsonObject)) {
      throw new IllegalArgumentException("metric_options must be an object (json_schema, pattern, rubric, scale)");
    }
    double threshold = fraction(json, "target_threshold", DEFAULT_THRESHOLD, true);
    double margin = fraction(json, "margin", DEFAULT_MARGIN, false);
    Double budget = null;
    Object budgetValue = json.getValue("budget_usd");
    if (budgetValue != null) {
      if (!(budgetValue instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() <= 0) {
        throw new IllegalArgumentException("budget_usd must be a number of dollars above 0, got " + budgetValue);
      }
      budget = n.doubleValue();
    }
    return new TextRunSettings(dataset, prompt, metric, (JsonObject) options, threshold,
      (int) RequestFields.wholeNumber(json, "patience", 1, MAX_PATIENCE, DEFAULT_PATIENCE),
      (int) RequestFields.wholeNumber(json, "max_iterations", 1, MAX_ITERATIONS, DEFAULT_MAX_ITERATIONS),
      (int) RequestFields.wholeNumber(json, "candidates_per_iteration", 1, MAX_CANDIDATES, DEFAULT_CANDIDATES),
      budget, margin);
  }

  private static double fraction(JsonObject json, String key, double fallback, boolean oneIncluded) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || !(n.doubleValue() >= 0) || n.doubleValue() > 1
      || (!oneIncluded && n.doubleValue() == 1)) {
      throw new IllegalArgumentException(key + " must be a number from 0 to 1" + (oneIncluded ? "" : " (1 excluded)")
        + ", got " + value);
    }
    return n.doubleValue();
  }
}
