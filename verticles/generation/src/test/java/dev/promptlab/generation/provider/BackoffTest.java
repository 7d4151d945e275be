package dev.promptlab.generation.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(100, 1000);

  @Test
  void growsExponentiallyWithJitterWithinHalfAndFullStep() {
    assertEquals(50, backoff.delayMs(1, null, 0.0));
    assertEquals(99, backoff.delayMs(1, null, 0.999), 1);
    assertEquals(100, backoff.delayMs(2, null, 0.0));
    assertEquals(200, backoff.delayMs(3, null, 0.0));
    for (int retry = 1; retry <= 40; retry++) {
      long low = backoff.delayMs(retry, null, 0.0);
      long high = backoff.delayMs(retry, null, 0.999999);
      assertTrue(low <= high);
      assertTrue(high <= 1000, "capped at the maximum, retry " + retry);
    }
    assertEquals(500, backoff.delayMs(30, null, 0.0), "half of the cap at worst");
  }

  @Test
  void neverComesBackEarlierThanRetryAfter() {
    assertEquals(3000, backoff.delayMs(1, 3000L, 0.0));
    assertTrue(backoff.delayMs(1, 3000L, 0.5) >= 3000);
    assertTrue(backoff.delayMs(4, 10L, 0.0) >= 400, "a short Retry-After does not shorten the back-off");
  }

  @Test
  void readsRetryAfterInSecondsOrAsAnHttpDate() {
    assertEquals(120_000L, Backoff.parseRetryAfter("120", 0));
    assertEquals(0L, Backoff.parseRetryAfter(" 0 ", 0));
    long now = Instant.parse("2025-03-07T10:00:00Z").toEpochMilli();
    String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
      Instant.parse("2025-03-07T10:00:30Z").atZone(ZoneOffset.UTC));
    assertEquals(30_000L, Backoff.parseRetryAfter(inThirtySeconds, now));
    assertEquals(0L, Backoff.parseRetryAfter("Fri, 07 Mar 2025 09:59:00 GMT", now), "a date in the past means now");
    assertNull(Backoff.parseRetryAfter(null, now));
    assertNull(Backoff.parseRetryAfter("", now));
    assertNull(Backoff.parseRetryAfter("-5", now));
    assertNull(Backoff.parseRetryAfter("soon", now));
    assertNull(Backoff.parseRetryAfter("99999999999999999999", now));
  }

  @Test
  void refusesInconsistentLimits() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10));
  }
}
