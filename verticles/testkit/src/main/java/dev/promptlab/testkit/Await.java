package dev.promptlab.testkit;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits on the test thread (never on an event loop) for a Vert.x future. A failed future throws its own
 * failure, unwrapped, so that tests can {@code assertThrows(ReplyException.class, ...)}; no answer in time
 * fails the test.
 */
public final class Await {

  public static final long DEFAULT_SECONDS = 60;

  private Await() {
  }

  /** The result, waiting at most {@value #DEFAULT_SECONDS} s. */
  public static <T> T await(Future<T> future) {
    return await(future, DEFAULT_SECONDS);
  }

  /** The result, waiting at most {@code seconds}. */
  public static <T> T await(Future<T> future, long seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + seconds + " s", e);
    }
  }
}
