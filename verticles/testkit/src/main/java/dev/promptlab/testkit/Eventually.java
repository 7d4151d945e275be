package dev.promptlab.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits on the test thread until a condition on asynchronous work holds: checks it, and between checks waits a
 * few milliseconds, for at most a bound ({@value #DEFAULT_SECONDS} s unless given). The bound is a safety net,
 * never what the test measures: a condition that does not hold in time fails the test with what was awaited and
 * the last value seen. Use it where there is no event to wait for (a row in the database, a file, a counter).
 */
public final class Eventually {

  public static final long DEFAULT_SECONDS = 60;
  private static final long PAUSE_MILLIS = 10;

  private Eventually() {
  }

  /** Returns once {@code condition} holds. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(DEFAULT_SECONDS), condition);
  }

  /** Returns once {@code condition} holds, failing after {@code bound}. */
  public static void until(String what, Duration bound, BooleanSupplier condition) {
    value(what, bound, condition::getAsBoolean, held -> held);
  }

  /** Returns the first value of {@code probe} that satisfies {@code done}. */
  public static <T> T value(String what, Callable<T> probe, Predicate<? super T> done) {
    return value(what, Duration.ofSeconds(DEFAULT_SECONDS), probe, done);
  }

  /**
   * Returns the first value of {@code probe} that satisfies {@code done}, failing after {@code bound} with the
   * last value (or the last exception of the probe, which is otherwise taken as "not yet").
   */
  public static <T> T value(String what, Duration bound, Callable<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + bound.toNanos();
    T last = null;
    Exception lastFailure = null;
    while (true) {
      try {
        last = probe.call();
        lastFailure = null;
        if (done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        lastFailure = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError failure = new AssertionError("timed out after " + bound.toSeconds() + " s waiting until "
          + what + (lastFailure != null ? "; the last check failed: " + lastFailure : "; last value: " + last));
        if (lastFailure != null) {
          failure.initCause(lastFailure);
        }
        throw failure;
      }
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }
}
