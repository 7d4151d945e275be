package dev.promptlab.metrics;

import dev.promptlab.contract.EvolutionFinished;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PromptDecided;
import dev.promptlab.contract.SuggestReply;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps event fields onto tag values from small fixed vocabularies. Every tag value becomes a
 * Prometheus series of its own, so a publisher that sends something unexpected (a typo, an id)
 * must not be able to grow the number of series: anything outside the vocabulary becomes
 * {@link #OTHER}.
 */
final class TagValues {

  /** The tag value of anything outside a vocabulary, including a missing value. */
  static final String OTHER = "other";

  /** The error kinds {@link GenerationFinished} documents. */
  static final List<String> ERROR_KINDS =
    List.of("timeout", "rate_limited", "auth", "server_error", "bad_response", "circuit_open", OTHER);

  static final List<String> OUTCOMES = List.of(GenerationFinished.SUCCESS, GenerationFinished.FAILURE);

  static final List<String> STRATEGIES =
    List.of(SuggestReply.INITIAL_DESIGN, SuggestReply.GP_UCB, SuggestReply.GP_EI, SuggestReply.RANDOM_FALLBACK);

  /** The outcomes each kind of prompt decision can have (see the prompt_decisions table). */
  static final Map<String, List<String>> DECISION_OUTCOMES = Map.of(
    "ab_test", List.of("promoted", "kept", "awaiting_review", "cancelled"),
    "promote", List.of("promoted"),
    "rollback", List.of("rolled_back"),
    "sync", List.of("synced"),
    "learned_parameters", List.of("promoted"));

  /** Provider names are configured, not enumerated in the contract; they must at least look like a name. */
  private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  private TagValues() {
  }

  static String mode(String mode) {
    return oneOf(mode, ParameterSpace.MODES);
  }

  static String api(String api) {
    return oneOf(api, ParameterSpace.APIS);
  }

  static String outcome(String outcome) {
    return oneOf(outcome, OUTCOMES);
  }

  static String errorKind(String errorKind) {
    return oneOf(errorKind, ERROR_KINDS);
  }

  static String strategy(String strategy) {
    return oneOf(strategy, STRATEGIES);
  }

  static String evolutionTrigger(String trigger) {
    return oneOf(trigger, EvolutionFinished.TRIGGERS);
  }

  static String evolutionStatus(String status) {
    return oneOf(status, EvolutionFinished.STATUSES);
  }

  static String decisionKind(String kind) {
    return oneOf(kind, PromptDecided.KINDS);
  }

  static String decisionOutcome(String outcome) {
    return oneOf(outcome, PromptDecided.OUTCOMES);
  }

  /** "1" … "5"; callers validate the range first. */
  static String rating(int rating) {
    return Integer.toString(rating);
  }

  /** A lower-cased provider name, or {@link #OTHER} when it does not look like one. */
  static String providerName(String provider) {
    if (provider == null) {
      return OTHER;
    }
    String name = provider.trim().toLowerCase(Locale.ROOT);
    return PROVIDER_NAME.matcher(name).matches() ? name : OTHER;
  }

  private static String oneOf(String value, List<String> vocabulary) {
    return value != null && vocabulary.contains(value) ? value : OTHER;
  }
}
