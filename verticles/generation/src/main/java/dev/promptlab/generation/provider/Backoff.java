package dev.promptlab.generation.provider;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Delays between retries: exponential with "equal jitter" (half fixed, half random) so that many clients
 * failing together do not retry in lock step, capped at {@code maxDelayMs}. A server's {@code Retry-After}
 * is a lower bound: the client never comes back earlier than asked.
 */
public record Backoff(long baseDelayMs, long maxDelayMs) {

  public Backoff {
    if (baseDelayMs < 0 || maxDelayMs < baseDelayMs) {
      throw new IllegalArgumentException("need 0 <= baseDelayMs <= maxDelayMs");
    }
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry).
   *
   * @param retryAfterMs what the server asked for, or null
   * @param random01     a uniform random number in [0, 1)
   */
  public long delayMs(int retry, Long retryAfterMs, double random01) {
    int doublings = Math.min(Math.max(retry - 1, 0), 30);
    long exponential = Math.min(maxDelayMs, baseDelayMs << doublings);
    long jittered = exponential / 2 + (long) (exponential / 2.0 * random01);
    if (retryAfterMs != null && retryAfterMs >= 0) {
      return Math.max(retryAfterMs + (long) (baseDelayMs * random01), jittered);
    }
    return jittered;
  }

  /**
   * A {@code Retry-After} header value in milliseconds from {@code nowMillis}: either delay-seconds or an
   * HTTP date. Null when absent or unreadable.
   */
  public static Long parseRetryAfter(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? null : Math.multiplyExact(seconds, 1000L);
    } catch (NumberFormatException | ArithmeticException notSeconds) {
      try {
        long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0L, at - nowMillis);
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
