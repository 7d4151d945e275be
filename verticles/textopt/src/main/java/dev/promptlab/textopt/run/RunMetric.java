package dev.promptlab.textopt.run;

import dev.promptlab.textopt.judge.JudgeRubric;
import dev.promptlab.textopt.metrics.Metric;
import dev.promptlab.textopt.metrics.MetricOptions;
import dev.promptlab.textopt.metrics.MetricRegistry;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The metric a run names, built from its {@code target_metric} and {@code metric_options}: {@code json_schema} (a
 * JSON Schema, as an object or as its text) and {@code pattern} (a regular expression). {@code llm_judge} is no
 * metric of the package (it asks a model per row): its options, {@code rubric} and {@code scale}, are read by
 * {@link JudgeRubric}, and {@link #judged} says whether a run is scored that way.
 */
public final class RunMetric {

  private RunMetric() {
  }

  /**
   * @throws IllegalArgumentException for an unknown metric, an unknown option or an option the metric refuses (the
   *     message is written for the person who made the request)
   */
  public static Metric of(MetricRegistry registry, String name, JsonObject options) {
    if (judged(name)) {
      throw new IllegalArgumentException(JudgeRubric.METRIC + " is scored by a judge model, not by a metric here");
    }
    if (name != null && !registry.names().contains(name)) {
      throw new IllegalArgumentException("unknown metric '" + name + "'; the metrics are "
        + String.join(", ", registry.names()) + ", " + JudgeRubric.METRIC);
    }
    for (String key : options.fieldNames()) {
      if (key.equals("rubric") || key.equals("scale")) {
        throw new IllegalArgumentException("metric_options." + key + " is an option of " + JudgeRubric.METRIC
          + " only");
      }
      if (!key.equals("json_schema") && !key.equals("pattern")) {
        throw new IllegalArgumentException("metric_options." + key + " is not an option; the options are json_schema"
          + ", pattern, and rubric and scale for " + JudgeRubric.METRIC);
      }
    }
    Object schema = options.getValue("json_schema");
    Object pattern = options.getValue("pattern");
    if (schema != null && !(schema instanceof JsonObject) && !(schema instanceof String)) {
      throw new IllegalArgumentException("metric_options.json_schema must be a JSON Schema (an object or its text)");
    }
    if (pattern != null && !(pattern instanceof String)) {
      throw new IllegalArgumentException("metric_options.pattern must be a string");
    }
    String schemaText = schema instanceof JsonObject object ? object.encode() : (String) schema;
    return registry.create(name, new MetricOptions(Optional.ofNullable(schemaText),
      Optional.ofNullable((String) pattern)));
  }

  /** True when the run is scored by a judge model ({@code llm_judge}). */
  public static boolean judged(String name) {
    return JudgeRubric.METRIC.equals(name);
  }

  /**
   * The rubric of a run scored by a judge model.
   *
   * @throws IllegalArgumentException for a missing or blank rubric, a bad scale or an option of another metric
   */
  public static JudgeRubric rubric(JsonObject options) {
    for (String key : options.fieldNames()) {
      if (!key.equals("rubric") && !key.equals("scale")) {
        throw new IllegalArgumentException("metric_options." + key + " is not an option of " + JudgeRubric.METRIC
          + "; its options are rubric and scale");
      }
    }
    return JudgeRubric.of(options);
  }
}
