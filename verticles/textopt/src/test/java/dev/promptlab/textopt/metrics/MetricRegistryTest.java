package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {

  private final MetricRegistry registry = MetricRegistry.standard();

  @Test
  void namesEveryMetric() {
    assertEquals(List.of("exact_match", "f1", "bleu", "rouge_l", "chrf", "json_valid", "json_schema", "regex"),
      List.copyOf(registry.names()));
  }

  @Test
  void eachNameBuildsTheMetricOfThatName() {
    for (String name : List.of("exact_match", "f1", "bleu", "rouge_l", "chrf", "json_valid")) {
      assertEquals(name, registry.create(name).name());
    }
    assertEquals("json_schema", registry.create("json_schema", MetricOptions.jsonSchema("{\"type\": \"object\"}")).name());
    assertEquals("regex", registry.create("regex", MetricOptions.pattern("[A-D]")).name());
    assertInstanceOf(CorpusMetric.class, registry.create("bleu"));
    assertInstanceOf(CorpusMetric.class, registry.create("chrf"));
    assertSame(registry.create("f1"), registry.create("f1"), "metrics without options are shared");
  }

  @Test
  void configuredMetricsUseTheirOptions() {
    Metric choice = registry.create("regex", MetricOptions.pattern("[A-D]"));
    assertEquals(1.0, choice.score("C\n", "").value());
    assertEquals(0.0, choice.score("E", "").value());
    Metric schema = registry.create("json_schema", MetricOptions.jsonSchema("{\"required\": [\"answer\"]}"));
    assertEquals(1.0, schema.score("{\"answer\": 1}", "").value());
    assertEquals(0.0, schema.score("{}", "").value());
  }

  @Test
  void unknownNamesAreRefusedWithTheKnownOnes() {
    InvalidMetricException e = assertThrows(InvalidMetricException.class, () -> registry.create("blue"));
    assertEquals("unknown metric 'blue'; the metrics are exact_match, f1, bleu, rouge_l, chrf, json_valid, "
      + "json_schema, regex", e.getMessage());
    assertThrows(InvalidMetricException.class, () -> registry.create("BLEU"), "names are exact");
    assertTrue(assertThrows(InvalidMetricException.class, () -> registry.create(null)).getMessage()
      .startsWith("unknown metric (none given)"));
  }

  @Test
  void missingUnexpectedAndBrokenOptionsAreRefused() {
    assertEquals("the json_schema metric needs a JSON Schema",
      assertThrows(InvalidMetricException.class, () -> registry.create("json_schema")).getMessage());
    assertEquals("the regex metric needs a pattern",
      assertThrows(InvalidMetricException.class, () -> registry.create("regex")).getMessage());
    assertEquals("the bleu metric takes no pattern",
      assertThrows(InvalidMetricException.class, () -> registry.create("bleu", MetricOptions.pattern("x"))).getMessage());
    assertEquals("the f1 metric takes no JSON Schema", assertThrows(InvalidMetricException.class,
      () -> registry.create("f1", MetricOptions.jsonSchema("{}"))).getMessage());
    assertEquals("the regex metric takes a pattern, not a JSON Schema", assertThrows(InvalidMetricException.class,
      () -> registry.create("regex", MetricOptions.jsonSchema("{}"))).getMessage());
    assertEquals("the json_schema metric takes no pattern", assertThrows(InvalidMetricException.class,
      () -> registry.create("json_schema", MetricOptions.pattern("x"))).getMessage());
    String badPattern = assertThrows(InvalidMetricException.class,
      () -> registry.create("regex", MetricOptions.pattern("(unclosed"))).getMessage();
    assertTrue(badPattern.startsWith("the regex metric cannot be built: not a valid regular expression"), badPattern);
    String badSchema = assertThrows(InvalidMetricException.class,
      () -> registry.create("json_schema", MetricOptions.jsonSchema("{\"type\": 3}"))).getMessage();
    assertTrue(badSchema.startsWith("the json_schema metric cannot be built: not a valid JSON Schema: $.type"), badSchema);
  }
}
