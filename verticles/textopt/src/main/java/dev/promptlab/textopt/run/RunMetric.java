package dev.promptlab.textopt.run;

import dev.promptlab.textopt.metrics.Metric;
import dev.promptlab.textopt.metrics.MetricOptions;
import dev.promptlab.textopt.metrics.MetricRegistry;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The metric a run names, built from its {@code target_metric} and {@code metric_options}: {@code json_schema} (a
 * JSON Schema, as an object or as its text) and {@code pattern} (a regular expression).
 */
public final class RunMetric {

  private RunMetric() {
  }

  /**
   * @throws IllegalArgumentException for an unknown metric, an unknown option or an option the metric refuses (the
   *     message is written for the person who made the request)
   */
  public static Metric of(MetricRegistry registry, String name, JsonObject options) {
    for (String key : options.fieldNames()) {
      if (!key.equals("json_schema") && !key.equals("pattern")) {
        throw new IllegalArgumentException("metric_options." + key + " is not an option; the options are json_schema"
          + " and pattern");
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
}
