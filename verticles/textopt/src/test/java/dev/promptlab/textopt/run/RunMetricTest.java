package dev.promptlab.textopt.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.textopt.judge.JudgeRubric;
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

  @Test
  void aJudgedRunTakesARubricAndAScaleAndNoOtherMetricDoes() {
    assertTrue(RunMetric.judged("llm_judge"));
    assertEquals(new JudgeRubric("Names the city.", 0, 10), RunMetric.rubric(new JsonObject()
      .put("rubric", " Names the city. ").put("scale", new JsonArray().add(0).add(10))));
    assertEquals(new JudgeRubric("Names the city.", 1, 5), RunMetric.rubric(new JsonObject()
      .put("rubric", "Names the city.")));
    assertRubricRefused(new JsonObject(), "metric_options.rubric is required");
    assertRubricRefused(new JsonObject().put("rubric", " \n "), "metric_options.rubric is required");
    assertRubricRefused(new JsonObject().put("rubric", 3), "rubric must be a string");
    assertRubricRefused(new JsonObject().put("rubric", "x").put("pattern", "y"), "not an option of llm_judge");
    assertRubricRefused(new JsonObject().put("rubric", "x").put("scale", 5), "two whole numbers");
    assertRubricRefused(new JsonObject().put("rubric", "x").put("scale", new JsonArray().add(1).add(2.5)),
      "two whole numbers");
    assertRubricRefused(new JsonObject().put("rubric", "x").put("scale", new JsonArray().add(5).add(1)),
      "must go up");
    assertRefused("exact_match", new JsonObject().put("rubric", "x"), "an option of llm_judge only");
    assertRefused("llm_judge", new JsonObject().put("rubric", "x"), "scored by a judge model");
    assertRefused("accuracy", new JsonObject(), "json_schema, regex, llm_judge");
  }

  private static void assertRubricRefused(JsonObject options, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunMetric.rubric(options));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private void assertRefused(String name, JsonObject options, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> RunMetric.of(registry, name, options));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
