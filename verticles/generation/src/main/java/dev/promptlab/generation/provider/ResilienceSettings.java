package dev.promptlab.generation.provider;

import io.vertx.core.json.JsonObject;

/**
 * How patiently one external provider is called. Read from the provider's config section; every key is
 * optional.
 *
 * @param requestTimeoutMs  one HTTP exchange (connect, send, answer)
 * @param totalTimeoutMs    the whole generation, polling and retries included; keep it below the http
 *                          verticle's bus timeout so the trainer gets this failure rather than a bus timeout
 * @param pollIntervalMs    between status polls of a running job
 * @param maxAttempts       tries per step where a retry is safe (1 = no retry)
 * @param backoff           delays between tries
 * @param breakerMaxFailures consecutive failures that open the provider's circuit
 * @param breakerResetMs    how long an open circuit refuses calls before letting one through
 */
public record ResilienceSettings(long requestTimeoutMs, long totalTimeoutMs, long pollIntervalMs, int maxAttempts,
                                 Backoff backoff, int breakerMaxFailures, long breakerResetMs) {

  public static ResilienceSettings from(String section, JsonObject json) {
    return new ResilienceSettings(
      positive(section, json, "request_timeout_ms", 30_000),
      positive(section, json, "total_timeout_ms", 100_000),
      positive(section, json, "poll_interval_ms", 2_000),
      (int) positive(section, json, "max_attempts", 4),
      new Backoff(positive(section, json, "retry_base_delay_ms", 500), positive(section, json, "retry_max_delay_ms", 20_000)),
      (int) positive(section, json, "breaker_max_failures", 5),
      positive(section, json, "breaker_reset_ms", 30_000));
  }

  private static long positive(String section, JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
      throw new IllegalArgumentException("generation." + section + "." + key + " must be a positive whole number, got " + value);
    }
    return n.longValue();
  }
}
