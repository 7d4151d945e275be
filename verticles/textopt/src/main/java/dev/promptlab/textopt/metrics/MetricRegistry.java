package dev.promptlab.textopt.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The metrics a run may name: {@code exact_match}, {@code f1}, {@code bleu}, {@code rouge_l}, {@code chrf},
 * {@code json_valid}, {@code json_schema} (needs a schema) and {@code regex} (needs a pattern).
 *
 * <p>Metrics without options are shared instances (they are immutable); configured ones are built per request.
 */
public final class MetricRegistry {

  private final Map<String, Function<MetricOptions, Metric>> factories = new LinkedHashMap<>();

  private MetricRegistry() {
  }

  /** Every metric of this package, under its name. */
  public static MetricRegistry standard() {
    MetricRegistry registry = new MetricRegistry();
    registry.shared(new ExactMatch());
    registry.shared(new TokenF1());
    registry.shared(Bleu.sacreBleuDefaults());
    registry.shared(new RougeL());
    registry.shared(Chrf.sacreBleuDefaults());
    registry.shared(new JsonValid());
    registry.factories.put(JsonSchemaMatch.NAME, options -> {
      rejectPattern(JsonSchemaMatch.NAME, options);
      String schema = options.jsonSchema().orElseThrow(() -> new InvalidMetricException(
        "the json_schema metric needs a JSON Schema"));
      return configured(JsonSchemaMatch.NAME, () -> new JsonSchemaMatch(schema));
    });
    registry.factories.put(RegexMatch.NAME, options -> {
      if (options.jsonSchema().isPresent()) {
        throw new InvalidMetricException("the regex metric takes a pattern, not a JSON Schema");
      }
      String pattern = options.pattern().orElseThrow(() -> new InvalidMetricException(
        "the regex metric needs a pattern"));
      return configured(RegexMatch.NAME, () -> new RegexMatch(pattern));
    });
    return registry;
  }

  /** The names, in a stable order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(factories.keySet());
  }

  /** A metric that takes no option. */
  public Metric create(String name) {
    return create(name, MetricOptions.none());
  }

  /**
   * The metric called {@code name}, configured by {@code options}.
   *
   * @throws InvalidMetricException for an unknown name, a missing or unexpected option, or an option that does not
   *     compile
   */
  public Metric create(String name, MetricOptions options) {
    Function<MetricOptions, Metric> factory = name == null ? null : factories.get(name);
    if (factory == null) {
      throw new InvalidMetricException("unknown metric " + (name == null ? "(none given)" : "'" + name + "'")
        + "; the metrics are " + String.join(", ", factories.keySet()));
    }
    return factory.apply(options);
  }

  private void shared(Metric metric) {
    factories.put(metric.name(), options -> {
      rejectPattern(metric.name(), options);
      if (options.jsonSchema().isPresent()) {
        throw new InvalidMetricException("the " + metric.name() + " metric takes no JSON Schema");
      }
      return metric;
    });
  }

  private static void rejectPattern(String name, MetricOptions options) {
    if (options.pattern().isPresent()) {
      throw new InvalidMetricException("the " + name + " metric takes no pattern");
    }
  }

  private static Metric configured(String name, Supplier<Metric> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidMetricException("the " + name + " metric cannot be built: " + e.getMessage(), e);
    }
  }
}
