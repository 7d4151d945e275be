package dev.promptlab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static long askedWait(String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return RetryAfter.millis(map, NOW);
  }

  @Test
  void secondsMillisecondsAndDates() {
    assertEquals(RetryAfter.NONE, askedWait());
    assertEquals(0, askedWait("Retry-After", "0"));
    assertEquals(20_000, askedWait("retry-after", "20"));
    assertEquals(1500, askedWait("Retry-After", "1.5"));
    assertEquals(250, askedWait("retry-after-ms", "250", "Retry-After", "1"), "the precise header wins");
    assertEquals(1000, askedWait("retry-after-ms", "soon", "Retry-After", "1"), "an unreadable precise header is ignored");
    assertEquals(90_000, askedWait("Retry-After", "Sun, 01 Mar 2026 12:01:30 GMT"));
    assertEquals(0, askedWait("Retry-After", "Sun, 01 Mar 2026 11:59:00 GMT"), "a date in the past: no wait");
  }

  @Test
  void whatCannotBeReadIsNoWait() {
    for (String bad : new String[] {"", "-5", "soon", "1e3", "99999999999", "Sunday noon"}) {
      assertEquals(RetryAfter.NONE, askedWait("Retry-After", bad), bad);
    }
  }
}
