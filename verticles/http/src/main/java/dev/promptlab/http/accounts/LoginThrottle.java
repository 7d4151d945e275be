package dev.promptlab.http.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins: at most {@code maxFailures} within {@code window} per key (the account's
 * email, and separately the client address). While a key is over the limit every attempt is refused
 * without checking the password, so guessing costs time, not just CPU.
 */
public final class LoginThrottle {

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public LoginThrottle(int maxFailures, Duration window, Clock clock) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** How long {@code key} must wait before trying again; zero when it may try now. */
  public Duration retryAfter(String key) {
    Deque<Instant> list = failures.get(key);
    if (list == null) {
      return Duration.ZERO;
    }
    synchronized (list) {
      prune(list);
      if (list.size() < maxFailures) {
        return Duration.ZERO;
      }
      return Duration.between(clock.instant(), list.peekFirst().plus(window));
    }
  }

  public void failed(String key) {
    Deque<Instant> list = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (list) {
      prune(list);
      list.addLast(clock.instant());
    }
  }

  /** A successful login forgets the key's failures. */
  public void succeeded(String key) {
    failures.remove(key);
  }

  private void prune(Deque<Instant> list) {
    Instant oldest = clock.instant().minus(window);
    while (!list.isEmpty() && !list.peekFirst().isAfter(oldest)) {
      list.removeFirst();
    }
  }
}
