package dev.promptlab.textopt.metrics;

import java.util.Objects;
import java.util.Optional;

/**
 * What the configurable metrics need: the JSON Schema of {@code json_schema} and the pattern of {@code regex}.
 * The other metrics take neither, and {@link MetricRegistry} refuses an option a metric would ignore.
 *
 * @param jsonSchema the JSON Schema text a prediction must match
 * @param pattern the regular expression a whole prediction must match
 */
public record MetricOptions(Optional<String> jsonSchema, Optional<String> pattern) {

  public MetricOptions {
    Objects.requireNonNull(jsonSchema, "jsonSchema");
    Objects.requireNonNull(pattern, "pattern");
  }

  public static MetricOptions none() {
    return new MetricOptions(Optional.empty(), Optional.empty());
  }

  public static MetricOptions jsonSchema(String schema) {
    return new MetricOptions(Optional.of(schema), Optional.empty());
  }

  public static MetricOptions pattern(String pattern) {
    return new MetricOptions(Optional.empty(), Optional.of(pattern));
  }
}
