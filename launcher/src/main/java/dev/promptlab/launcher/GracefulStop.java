package dev.promptlab.launcher;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What SIGTERM (a container runtime, systemd, {@code kill}) and SIGINT (Ctrl-C) do once PromptLab is up.
 *
 * <p>Rules: the verticles stop in order ({@link PromptLabVerticle#stopInOrder}: http first, which drains its
 * in-flight requests while the verticles they wait for still answer; the others after it; the database last),
 * then Vert.x closes and the process exits with status 0, or 1 when a step failed or the whole stop took longer
 * than its bound. A second signal while stopping changes nothing. Without this, the JVM's own handling would
 * let Vert.x undeploy every verticle at once and exit with 143.
 */
final class GracefulStop {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  private final Vertx vertx;
  private final PromptLabVerticle root;
  private final long boundMs;
  private final AtomicBoolean started = new AtomicBoolean();

  private GracefulStop(Vertx vertx, PromptLabVerticle root, long boundMs) {
    this.vertx = vertx;
    this.root = root;
    this.boundMs = boundMs;
  }

  /** Takes over SIGTERM and SIGINT; {@code boundMs} bounds the whole stop. */
  static void install(Vertx vertx, PromptLabVerticle root, long boundMs) {
    GracefulStop stop = new GracefulStop(vertx, root, boundMs);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> stop.begin(signal.getName()));
    }
  }

  private void begin(String signal) {
    if (!started.compareAndSet(false, true)) {
      LOG.info("SIG{} while stopping: the stop goes on", signal);
      return;
    }
    // The signal thread must not block: the stop waits on a thread of its own.
    Thread stopping = new Thread(() -> System.exit(stop(signal)), "promptlab-graceful-stop");
    stopping.start();
  }

  private int stop(String signal) {
    LOG.info("SIG{}: stopping in order (at most {} ms)", signal, boundMs);
    long started = System.nanoTime();
    int code = 0;
    try {
      root.stopInOrder().toCompletionStage().toCompletableFuture().get(boundMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.error("The ordered stop failed: {}", e.getMessage());
      code = 1;
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("Vert.x did not close cleanly: {}", e.getMessage());
      code = 1;
    }
    LOG.info("Stopped in {} ms; exit status {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), code);
    return code;
  }
}
