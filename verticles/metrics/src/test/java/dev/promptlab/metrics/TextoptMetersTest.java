package dev.promptlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.contract.TextRunChanged;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextoptModelCalled;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The text-prompt optimiser's meters on their own: runs by status, calls by role and outcome, hits, tokens, cost. */
class TextoptMetersTest {

  private PrometheusMeterRegistry registry;
  private TextoptMeters meters;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters = new TextoptMeters(registry);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(registry.scrape());
  }

  private static TextRunChanged change(String status, String previous) {
    return new TextRunChanged(4, status, previous, null, new TextRunProgress("inference", 3, 10), 1, 0.01, 100, null);
  }

  @Test
  void everySeriesStartsAtZero() {
    PrometheusText text = scrape();
    TextoptMeters.STATUSES.forEach(status ->
      assertEquals(0.0, text.value("promptlab_textopt_runs_total", "status", status)));
    assertEquals(6, text.samples("promptlab_textopt_runs_total").size());
    assertEquals(9, text.samples("promptlab_textopt_model_calls_total").size());
    assertEquals(0.0, text.value("promptlab_textopt_cache_hits_total", "role", "task"));
    assertEquals(0.0, text.value("promptlab_textopt_cost_usd_total", "role", "optimizer"));
    assertEquals(6, text.samples("promptlab_textopt_tokens_total").size());
    assertEquals(0.0, text.value("promptlab_textopt_cost_usd_total", "role", "judge"));
  }

  @Test
  void runsAreCountedByTheStatusTheyEnterAndProgressCountsNothing() {
    meters.onRunChanged(change("queued", null));
    meters.onRunChanged(change("running", "queued"));
    meters.onRunChanged(change("running", "running"));
    meters.onRunChanged(change("succeeded", "running"));
    meters.onRunChanged(change("paused", "running"));
    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_textopt_runs_total", "status", "queued"));
    assertEquals(1.0, text.value("promptlab_textopt_runs_total", "status", "running"));
    assertEquals(1.0, text.value("promptlab_textopt_runs_total", "status", "succeeded"));
    assertEquals(1.0, text.value("promptlab_textopt_runs_total", "status", "other"), "an unknown status is other");
  }

  @Test
  void callsCountTheirOutcomeAndOnlyFreshAnswersSpend() {
    meters.onModelCalled(new TextoptModelCalled("task", "answered", false, 120, 8, 0.0015));
    meters.onModelCalled(new TextoptModelCalled("task", "answered", true, 120, 8, 0));
    meters.onModelCalled(new TextoptModelCalled("optimizer", "refused", false, 900, 300, 0.02));
    meters.onModelCalled(new TextoptModelCalled("optimizer", "failed", false, 0, 0, 0));
    meters.onModelCalled(new TextoptModelCalled("judge", "answered", false, 400, 20, 0.0004));
    meters.onModelCalled(new TextoptModelCalled("judge", "refused", true, 400, 20, 0));
    PrometheusText text = scrape();
    assertEquals(2.0, text.value("promptlab_textopt_model_calls_total", "role", "task", "outcome", "answered"));
    assertEquals(1.0, text.value("promptlab_textopt_model_calls_total", "role", "optimizer", "outcome", "refused"));
    assertEquals(1.0, text.value("promptlab_textopt_model_calls_total", "role", "optimizer", "outcome", "failed"));
    assertEquals(1.0, text.value("promptlab_textopt_cache_hits_total", "role", "task"));
    assertEquals(120.0, text.value("promptlab_textopt_tokens_total", "role", "task", "kind", "prompt"));
    assertEquals(300.0, text.value("promptlab_textopt_tokens_total", "role", "optimizer", "kind", "completion"));
    assertEquals(0.0015, text.value("promptlab_textopt_cost_usd_total", "role", "task"), 1e-12);
    assertEquals(0.02, text.value("promptlab_textopt_cost_usd_total", "role", "optimizer"), 1e-12);
    assertEquals(1.0, text.value("promptlab_textopt_model_calls_total", "role", "judge", "outcome", "answered"));
    assertEquals(1.0, text.value("promptlab_textopt_model_calls_total", "role", "judge", "outcome", "refused"));
    assertEquals(1.0, text.value("promptlab_textopt_cache_hits_total", "role", "judge"));
    assertEquals(0.0004, text.value("promptlab_textopt_cost_usd_total", "role", "judge"), 1e-12);
  }

  @Test
  void aCallThatCannotBeCountedHonestlyIsRefused() {
    assertThrows(IllegalArgumentException.class,
      () -> meters.onModelCalled(new TextoptModelCalled("task", "answered", false, -1, 0, 0)));
    assertThrows(IllegalArgumentException.class,
      () -> meters.onModelCalled(new TextoptModelCalled("task", "answered", false, 1, 0, Double.NaN)));
  }
}
