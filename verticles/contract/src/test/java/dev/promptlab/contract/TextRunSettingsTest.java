package dev.promptlab.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TextRunSettingsTest {

  private static JsonObject minimal() {
    return new JsonObject().put("dataset_id", 3).put("prompt_id", 4).put("target_metric", "exact_match");
  }

  @Test
  void absentStopRulesTakeTheDefaults() {
    TextRunSettings settings = TextRunSettings.fromJson(minimal());
    assertEquals(0.90, settings.targetThreshold());
    assertEquals(3, settings.patience());
    assertEquals(10, settings.maxIterations());
    assertEquals(TextRunSettings.DEFAULT_CANDIDATES, settings.candidatesPerIteration());
    assertEquals(TextRunSettings.DEFAULT_MARGIN, settings.margin());
    assertNull(settings.budgetUsd());
    assertTrue(settings.metricOptions().isEmpty());
  }

  @Test
  void eachBadSettingIsRefusedByName() {
    assertRefused(minimal().put("target_threshold", 1.5), "target_threshold");
    assertRefused(minimal().put("target_threshold", -0.1), "target_threshold");
    assertRefused(minimal().put("target_threshold", "high"), "target_threshold");
    assertRefused(minimal().put("margin", 1), "margin");
    assertRefused(minimal().put("patience", 0), "patience");
    assertRefused(minimal().put("max_iterations", 101), "max_iterations");
    assertRefused(minimal().put("max_iterations", 2.5), "max_iterations");
    assertRefused(minimal().put("candidates_per_iteration", 11), "candidates_per_iteration");
    assertRefused(minimal().put("budget_usd", 0), "budget_usd");
    assertRefused(minimal().put("budget_usd", -2), "budget_usd");
    assertRefused(minimal().put("metric_options", "x"), "metric_options");
    assertRefused(minimal().put("dataset_id", 0), "dataset_id");
    assertRefused(new JsonObject().put("prompt_id", 4).put("target_metric", "f1"), "dataset_id");
    assertRefused(new JsonObject().put("dataset_id", 3).put("target_metric", "f1"), "prompt_id");
    assertRefused(new JsonObject().put("dataset_id", 3).put("prompt_id", 4), "target_metric");
  }

  private static void assertRefused(JsonObject json, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextRunSettings.fromJson(json));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
