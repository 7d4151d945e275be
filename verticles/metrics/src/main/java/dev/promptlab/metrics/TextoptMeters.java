package dev.promptlab.metrics;

import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunChanged;
import dev.promptlab.contract.TextoptModelCalled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Turns the text-prompt optimiser's events into meters: runs by the status they entered, model calls by role and
 * outcome, the response cache's hits, and the tokens and dollars spent. Tags come from fixed vocabularies (run ids,
 * prompts and metrics never become tags); every series is registered at zero so the first event shows in
 * {@code increase()}.
 */
final class TextoptMeters {

  static final String RUNS = "promptlab.textopt.runs";
  static final String CALLS = "promptlab.textopt.model.calls";
  static final String CACHE_HITS = "promptlab.textopt.cache.hits";
  static final String TOKENS = "promptlab.textopt.tokens";
  static final String COST = "promptlab.textopt.cost.usd";

  static final List<String> STATUSES = List.of(TextRun.QUEUED, TextRun.RUNNING, TextRun.SUCCEEDED, TextRun.STOPPED,
    TextRun.FAILED, TextRun.CANCELLED);
  static final List<String> ROLES = List.of(TextoptModelCalled.TASK, TextoptModelCalled.OPTIMIZER,
    TextoptModelCalled.JUDGE);
  static final List<String> OUTCOMES = List.of(TextoptModelCalled.ANSWERED, TextoptModelCalled.REFUSED,
    TextoptModelCalled.FAILED);
  static final List<String> TOKEN_KINDS = List.of("prompt", "completion");

  private final MeterRegistry registry;

  TextoptMeters(MeterRegistry registry) {
    this.registry = registry;
    STATUSES.forEach(this::runs);
    for (String role : ROLES) {
      OUTCOMES.forEach(outcome -> calls(role, outcome));
      cacheHits(role);
      TOKEN_KINDS.forEach(kind -> tokens(role, kind));
      cost(role);
    }
  }

  /** A run entered a status (progress alone counts nothing). */
  void onRunChanged(TextRunChanged change) {
    if (change.transition()) {
      runs(known(STATUSES, change.status())).increment();
    }
  }

  /**
   * A run asked a model once: counted by role and outcome; a cached answer counts as a hit and spends nothing; the
   * tokens and dollars of a fresh answer are added.
   */
  void onModelCalled(TextoptModelCalled call) {
    if (call.promptTokens() < 0 || call.completionTokens() < 0 || !(call.costUsd() >= 0)
      || !Double.isFinite(call.costUsd())) {
      throw new IllegalArgumentException("token counts and cost must be finite and not negative");
    }
    String role = known(ROLES, call.role());
    calls(role, known(OUTCOMES, call.outcome())).increment();
    if (call.cached()) {
      cacheHits(role).increment();
      return;
    }
    tokens(role, "prompt").increment(call.promptTokens());
    tokens(role, "completion").increment(call.completionTokens());
    cost(role).increment(call.costUsd());
  }

  private static String known(List<String> vocabulary, String value) {
    return vocabulary.contains(value) ? value : TagValues.OTHER;
  }

  private Counter runs(String status) {
    return Counter.builder(RUNS).description("text-prompt optimisation runs that entered a status")
      .tag("status", status).register(registry);
  }

  private Counter calls(String role, String outcome) {
    return Counter.builder(CALLS).description("model calls of text-prompt optimisation runs")
      .tag("role", role).tag("outcome", outcome).register(registry);
  }

  private Counter cacheHits(String role) {
    return Counter.builder(CACHE_HITS).description("model calls answered by the response cache, at no cost")
      .tag("role", role).register(registry);
  }

  private Counter tokens(String role, String kind) {
    return Counter.builder(TOKENS).description("tokens spent by text-prompt optimisation runs (cache hits excluded)")
      .tag("role", role).tag("kind", kind).register(registry);
  }

  private Counter cost(String role) {
    return Counter.builder(COST).description("dollars spent on model calls by text-prompt optimisation runs")
      .tag("role", role).register(registry);
  }
}
