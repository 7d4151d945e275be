package dev.promptlab.http.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2025-01-19T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void blocksAfterTheLimitUntilTheOldestFailureLeavesTheWindow() {
    ManualClock clock = new ManualClock();
    LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(15), clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, throttle.retryAfter("a"));
      throttle.failed("a");
      clock.now = clock.now.plusSeconds(60);
    }
    Duration wait = throttle.retryAfter("a");
    assertEquals(Duration.ofMinutes(12), wait);
    assertEquals(Duration.ZERO, throttle.retryAfter("b"), "keys are independent");
    clock.now = clock.now.plus(wait);
    assertEquals(Duration.ZERO, throttle.retryAfter("a"));
  }

  @Test
  void successForgetsFailures() {
    LoginThrottle throttle = new LoginThrottle(2, Duration.ofMinutes(15), new ManualClock());
    throttle.failed("a");
    throttle.succeeded("a");
    throttle.failed("a");
    assertTrue(throttle.retryAfter("a").isZero());
  }
}
