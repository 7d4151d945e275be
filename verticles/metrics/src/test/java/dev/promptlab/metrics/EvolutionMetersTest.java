package dev.promptlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.EvolutionFinished;
import dev.promptlab.contract.PromptDecided;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prompt evolution meters on their own: evolutions by trigger, status and provider; decisions by kind and outcome. */
class EvolutionMetersTest {

  private PrometheusMeterRegistry registry;
  private TrainingMeters meters;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters = new TrainingMeters(registry);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(registry.scrape());
  }

  static EvolutionFinished evolution(long id, String trigger, String status, String provider) {
    return new EvolutionFinished(id, trigger, status, provider, "v1.0.0",
      "succeeded".equals(status) ? "v1.0." + id : null,
      "succeeded".equals(status) ? null : "openai test-model: the LLM answered 429 (rate limited)");
  }

  static PromptDecided decision(long id, String kind, String outcome) {
    return new PromptDecided(id, kind, "ab_test".equals(kind) ? 7L : null, "v1.0.0", "v1.0.3", outcome,
      new JsonObject().put("margin", 0.4), "admin@example.com", "candidate won by 0.4 stars",
      "2025-01-01T10:00:00Z");
  }

  @Test
  void everyPossibleDecisionStartsAtZeroAndNoEvolutionSeriesIsInvented() {
    PrometheusText text = scrape();
    Map<String, List<String>> possible = Map.of(
      "ab_test", List.of("promoted", "kept", "awaiting_review", "cancelled"),
      "promote", List.of("promoted"), "rollback", List.of("rolled_back"), "sync", List.of("synced"),
      "learned_parameters", List.of("promoted"));
    possible.forEach((kind, outcomes) -> outcomes.forEach(outcome ->
      assertEquals(0.0, text.value("promptlab_prompt_decisions_total", "kind", kind, "outcome", outcome))));
    assertEquals(8, text.samples("promptlab_prompt_decisions_total").size(), "only pairs that can happen");
    assertEquals("counter", text.type("promptlab_prompt_decisions_total"));
    assertTrue(text.samples("promptlab_evolutions_total").isEmpty(), "the provider is not known before an event");
  }

  @Test
  void evolutionsAreCountedByTriggerStatusAndProvider() {
    meters.onEvolution(evolution(1, "periodic", "succeeded", "offline"));
    meters.onEvolution(evolution(2, "manual", "failed", "openai"));
    meters.onEvolution(evolution(3, "manual", "failed", "openai"));
    meters.onEvolution(evolution(4, "plateau", "refused", "OpenAI"));

    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_evolutions_total", "trigger", "periodic", "status", "succeeded",
      "provider", "offline"));
    assertEquals(2.0, text.value("promptlab_evolutions_total", "trigger", "manual", "status", "failed",
      "provider", "openai"));
    assertEquals(1.0, text.value("promptlab_evolutions_total", "trigger", "plateau", "status", "refused",
      "provider", "openai"));
    assertEquals("counter", text.type("promptlab_evolutions_total"));
    assertTrue(text.help("promptlab_evolutions_total").contains("Prompt evolutions"));
    assertNoFreeTextInTags(text);
  }

  @Test
  void unexpectedEvolutionValuesShareTheOtherSeries() {
    meters.onEvolution(evolution(1, "every_n", "running", "Bad Provider!"));
    meters.onEvolution(evolution(2, null, null, null));
    assertEquals(2.0, scrape().value("promptlab_evolutions_total", "trigger", "other", "status", "other",
      "provider", "other"));
  }

  @Test
  void decisionsAreCountedByKindAndOutcome() {
    meters.onPromptDecision(decision(1, "ab_test", "promoted"));
    meters.onPromptDecision(decision(2, "ab_test", "kept"));
    meters.onPromptDecision(decision(3, "ab_test", "kept"));
    meters.onPromptDecision(decision(4, "rollback", "rolled_back"));
    meters.onPromptDecision(decision(5, "vote", "won"));

    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_prompt_decisions_total", "kind", "ab_test", "outcome", "promoted"));
    assertEquals(2.0, text.value("promptlab_prompt_decisions_total", "kind", "ab_test", "outcome", "kept"));
    assertEquals(1.0, text.value("promptlab_prompt_decisions_total", "kind", "rollback", "outcome", "rolled_back"));
    assertEquals(0.0, text.value("promptlab_prompt_decisions_total", "kind", "promote", "outcome", "promoted"));
    assertEquals(1.0, text.value("promptlab_prompt_decisions_total", "kind", "other", "outcome", "other"));
    assertNoFreeTextInTags(text);
  }

  @Test
  void theEvolutionProviderCountsTowardsTheProviderLimit() {
    for (int i = 0; i < 20; i++) {
      meters.onEvolution(evolution(i, "manual", "failed", "llm" + i));
    }
    PrometheusText text = scrape();
    assertTrue(text.samples("promptlab_evolutions_total").size() <= 17, text.samples("promptlab_evolutions_total")
      .toString());
    assertTrue(text.find("promptlab_evolutions_total", "trigger", "manual", "status", "failed", "provider", "other")
      .isPresent());
  }

  @Test
  void eventsWithoutAnIdOrWithWronglyTypedFieldsAreRefusedByTheContract() {
    JsonObject noId = evolution(1, "manual", "succeeded", "offline").toJson();
    noId.remove("id");
    assertThrows(IllegalArgumentException.class, () -> EvolutionFinished.fromJson(noId));
    assertThrows(IllegalArgumentException.class, () -> EvolutionFinished.fromJson(
      evolution(1, "manual", "succeeded", "offline").toJson().put("id", "one")));
    assertThrows(IllegalArgumentException.class, () -> PromptDecided.fromJson(
      decision(1, "sync", "synced").toJson().put("id", "one")));
    assertEquals(decision(9, "ab_test", "kept"), PromptDecided.fromJson(decision(9, "ab_test", "kept").toJson()));
    assertEquals(evolution(9, "plateau", "succeeded", "openai"),
      EvolutionFinished.fromJson(evolution(9, "plateau", "succeeded", "openai").toJson()));
  }

  private static void assertNoFreeTextInTags(PrometheusText text) {
    for (var sample : text.samples()) {
      for (String value : sample.labels().values()) {
        assertFalse(value.startsWith("v1.") || value.contains("@") || value.contains("429") || value.contains("won by"),
          "no versions, emails or reasons in tags: " + sample);
      }
    }
  }
}
