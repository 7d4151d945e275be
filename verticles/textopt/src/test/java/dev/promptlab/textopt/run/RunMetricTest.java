package dev.promptlab.textopt.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.textopt.metrics.Metric;
import dev.promptlab.textopt.metrics.MetricRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RunMetricTest {

  private final MetricRegistry registry = MetricRegistry.standard();

  @Test
  void aSchemaMayBeGivenAsAnObjectOrAsItsText() {
    JsonObject schema = new JsonObject().put("type", "object").put("required", new JsonArray().add("city"));
    Metric asObject = RunMetric.of(registry, "json_schema", new JsonObject().put("json_schema", schema));
    Metric asText = RunMetric.of(registry, "json_schema", new JsonObject().put("json_schema", schema.encode()));
    for (Metric metric : new Metric[] {asObject, asText}) {
      assertEquals(1.0, metric.score("{\"city\": \"Lima\"}", "").value());
      assertEquals(0.0, metric.score("{\"town\": \"Lima\"}", "").value());
    }
    assertEquals(1.0, RunMetric.of(registry, "regex", new JsonObject().put("pattern", "[A-Z][a-z]+"))
      .score("Lima", "").value());
  }

  @Test
  void unknownMetricsAndOptionsAreRefusedWithTheirReason() {
    assertRefused("accuracy", new JsonObject(), "unknown metric 'accuracy'");
    assertRefused("exact_match", new JsonObject().put("schema", "{}"), "metric_options.schema is not an option");
    assertRefused("exact_match", new JsonObject().put("pattern", "x"), "takes no pattern");
    assertRefused("json_schema", new JsonObject(), "needs a JSON Schema");
    assertRefused("json_schema", new JsonObject().put("json_schema", 3), "must be a JSON Schema");
    assertRefused("regex", new JsonObject().put("pattern", 3), "pattern must be a string");
    assertRefused("regex", new JsonObject().put("pattern", "(unclosed"), "cannot be built");
  }

  private void assertRefused(String name, JsonObject options, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> RunMetric.of(registry, name, options));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
