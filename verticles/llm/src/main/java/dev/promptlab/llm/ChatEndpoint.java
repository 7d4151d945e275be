package dev.promptlab.llm;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Function;

/**
 * One configured OpenAI-compatible chat endpoint, validated once. Read from a configuration object:
 *
 * <pre>
 * {
 *   "base_url": "https://api.openai.com/v1",     (required: the URL that /chat/completions is appended to)
 *   "model": "gpt-4o-mini",                      (required)
 *   "key_env": "OPENAI_API_KEY",                 (the environment variable holding the key; none for local servers)
 *   "timeout_ms": 60000,                         (per attempt, until the whole answer has arrived)
 *   "connect_timeout_ms": 10000,
 *   "max_concurrent": 4, "max_queued": 1000,     (requests in flight; calls waiting for a slot)
 *   "max_attempts": 4, "retry_backoff_ms": 500,  (back-off doubles per attempt)
 *   "max_retry_delay_ms": 60000,                 (the longest single wait, a server's Retry-After included)
 *   "max_tokens_parameter": "max_tokens",        (or "max_completion_tokens")
 *   "max_response_bytes": 8388608,
 *   "prices": {"input_per_million_usd": 0.15, "cached_input_per_million_usd": 0.075, "output_per_million_usd": 0.6}
 * }
 * </pre>
 *
 * The key itself is never part of a configuration file: it comes from the environment ({@link #fromConfig}) or
 * from a caller that read it from there. It is never logged, and {@link #toString()} only says whether it is set.
 *
 * @param name a label for logs and meters ({@code task}, {@code optimizer}, {@code evolution})
 */
public record ChatEndpoint(String name, String baseUrl, String model, String apiKey, long timeoutMs,
                           long connectTimeoutMs, int maxConcurrent, int maxQueued, int maxAttempts,
                           long retryBackoffMs, long maxRetryDelayMs, String maxTokensParameter,
                           int maxResponseBytes, TokenPrices prices) {

  public ChatEndpoint {
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new IllegalArgumentException(name + ".base_url must be an http(s) URL, got " + baseUrl);
    }
    baseUrl = baseUrl.replaceAll("/+$", "");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException(name + ".model is required");
    }
    if (apiKey != null && (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      throw new IllegalArgumentException("the API key of " + name + " must be printable ASCII without spaces");
    }
  }

  /**
   * Reads an endpoint from its configuration, taking the key from the environment variable named by
   * {@code key_env}.
   *
   * @param environment the process environment ({@code System::getenv}), a map's {@code get} in tests
   * @throws IllegalArgumentException naming the key at fault, or the variable that is not set
   */
  public static ChatEndpoint fromConfig(String name, JsonObject config, Function<String, String> environment) {
    String variable = text(name, config, "key_env", null);
    String key = null;
    if (variable != null) {
      key = environment.apply(variable);
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(name + ".key_env names " + variable + ", which is not set");
      }
    }
    return withKey(name, config, key);
  }

  /**
   * Reads an endpoint from its configuration with a key the caller already has (or null for a server that needs
   * none).
   */
  public static ChatEndpoint withKey(String name, JsonObject config, String apiKey) {
    for (String field : config.fieldNames()) {
      if (field.toLowerCase(Locale.ROOT).contains("api_key")) {
        throw new IllegalArgumentException(name + "." + field + ": keys come from the environment only (key_env)");
      }
    }
    String maxTokensParameter = text(name, config, "max_tokens_parameter", "max_tokens");
    if (!maxTokensParameter.equals("max_tokens") && !maxTokensParameter.equals("max_completion_tokens")) {
      throw new IllegalArgumentException(name + ".max_tokens_parameter must be max_tokens or max_completion_tokens,"
        + " got " + maxTokensParameter);
    }
    return new ChatEndpoint(name, required(name, config, "base_url"), required(name, config, "model"), apiKey,
      number(name, config, "timeout_ms", 60_000, 100, 3_600_000),
      number(name, config, "connect_timeout_ms", 10_000, 100, 600_000),
      (int) number(name, config, "max_concurrent", 4, 1, 1024),
      (int) number(name, config, "max_queued", 1000, 0, 1_000_000),
      (int) number(name, config, "max_attempts", 4, 1, 20),
      number(name, config, "retry_backoff_ms", 500, 0, 600_000),
      number(name, config, "max_retry_delay_ms", 60_000, 0, 3_600_000),
      maxTokensParameter,
      (int) number(name, config, "max_response_bytes", 8 << 20, 1024, 256 << 20),
      prices(name, config));
  }

  private static TokenPrices prices(String name, JsonObject config) {
    Object value = config.getValue("prices");
    if (value == null) {
      return TokenPrices.FREE;
    }
    if (!(value instanceof JsonObject prices)) {
      throw new IllegalArgumentException(name + ".prices must be an object");
    }
    BigDecimal input = price(name, prices, "input_per_million_usd", BigDecimal.ZERO);
    return new TokenPrices(input, price(name, prices, "cached_input_per_million_usd", input),
      price(name, prices, "output_per_million_usd", BigDecimal.ZERO));
  }

  private static BigDecimal price(String name, JsonObject prices, String key, BigDecimal fallback) {
    Object value = prices.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
      throw new IllegalArgumentException(name + ".prices." + key + " must be a number of dollars, 0 or more, got "
        + value);
    }
    // From the decimal text, so 0.15 stays 0.15 and not the nearest binary double.
    return new BigDecimal(n.toString());
  }

  private static String required(String name, JsonObject config, String key) {
    String value = text(name, config, key, null);
    if (value == null) {
      throw new IllegalArgumentException(name + "." + key + " is required");
    }
    return value;
  }

  private static String text(String name, JsonObject config, String key, String fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(name + "." + key + " must be a non-empty string, got " + value);
    }
    return s.trim();
  }

  private static long number(String name, JsonObject config, String key, long fallback, long min, long max) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
      || n.doubleValue() > max) {
      throw new IllegalArgumentException(name + "." + key + " must be an integer in [" + min + ", " + max + "], got "
        + value);
    }
    return n.longValue();
  }

  /** The URL of the chat-completions resource. */
  public String completionsUrl() {
    return baseUrl + "/chat/completions";
  }

  @Override
  public String toString() {
    return "ChatEndpoint[" + name + ": " + baseUrl + ", model=" + model + ", key=" + (apiKey == null ? "unset" : "set")
      + ", timeoutMs=" + timeoutMs + ", maxConcurrent=" + maxConcurrent + ", maxAttempts=" + maxAttempts + "]";
  }
}
