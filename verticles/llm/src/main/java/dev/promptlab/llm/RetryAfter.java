package dev.promptlab.llm;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The wait a server asks for before the next request. {@code retry-after-ms} (OpenAI's, in milliseconds) is read
 * first, then {@code Retry-After} (RFC 9110: delay-seconds, or an HTTP date). Fractional seconds are accepted, as
 * some servers send them.
 */
final class RetryAfter {

  /** No usable header. */
  static final long NONE = -1;

  private RetryAfter() {
  }

  /** The wait in milliseconds (0 or more), or {@link #NONE}. */
  static long millis(MultiMap headers, Instant now) {
    long precise = number(headers.get("retry-after-ms"), 1);
    if (precise != NONE) {
      return precise;
    }
    String value = headers.get("Retry-After");
    if (value == null) {
      return NONE;
    }
    long seconds = number(value, 1000);
    if (seconds != NONE) {
      return seconds;
    }
    try {
      Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException e) {
      return NONE;
    }
  }

  private static long number(String value, long unitMillis) {
    if (value == null || !value.trim().matches("\\d{1,9}(\\.\\d{1,6})?")) {
      return NONE;
    }
    return (long) Math.ceil(Double.parseDouble(value.trim()) * unitMillis);
  }
}
