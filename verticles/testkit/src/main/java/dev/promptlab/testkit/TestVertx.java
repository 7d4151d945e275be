package dev.promptlab.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x instances for tests with a tight blocked-thread check: an event-loop task longer than
 * {@value #MAX_EVENT_LOOP_MS} ms is reported with the blocked stack (and {@link BlockedThreadGuard}
 * turns that into a failure).
 */
public final class TestVertx {

  public static final long MAX_EVENT_LOOP_MS = 300;

  private TestVertx() {
  }

  public static VertxOptions options() {
    return new VertxOptions()
      .setBlockedThreadCheckInterval(50)
      .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS)
      .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setWarningExceptionTime(MAX_EVENT_LOOP_MS)
      .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
      .setMaxWorkerExecuteTime(60)
      .setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
  }

  public static Vertx create() {
    return Vertx.vertx(options());
  }
}
