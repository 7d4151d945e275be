package dev.promptlab.http.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The graceful stop of the last HTTP instance of a process.
 *
 * <p>Rules:
 * <ul>
 *   <li>every routed request is counted from its headers until its answer is sent or its connection is lost;</li>
 *   <li>once {@link #drain} is called, a new request is not routed: it gets 503 {@code shutting_down} with
 *       {@code Retry-After} and {@code Connection: close}, its body unread, and its connection is closed after
 *       the answer (the listener stays open meanwhile, so clients get an answer rather than a refused connection);</li>
 *   <li>the drain is over when no counted request is left, or after the grace time, whichever comes first.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per verticle, used on its event loop only.
 */
public final class RequestDrain {

  private final Vertx vertx;
  private final long retryAfterSeconds;
  private int inFlight;
  private Promise<Void> drained;

  public RequestDrain(Vertx vertx, long retryAfterSeconds) {
    this.vertx = vertx;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The first route handler. */
  public void track(RoutingContext ctx) {
    if (drained != null) {
      refuse(ctx);
      return;
    }
    inFlight++;
    ctx.addEndHandler(done -> {
      inFlight--;
      if (drained != null && inFlight == 0) {
        drained.tryComplete();
      }
    });
    ctx.next();
  }

  /** Requests being worked on now. */
  public int inFlight() {
    return inFlight;
  }

  /** Starts draining; completes once no counted request is left, or after {@code graceMs}. */
  public Future<Void> drain(long graceMs) {
    if (drained == null) {
      drained = Promise.promise();
      if (inFlight == 0) {
        drained.complete();
      } else {
        long timer = vertx.setTimer(graceMs, id -> drained.tryComplete());
        drained.future().onComplete(done -> vertx.cancelTimer(timer));
      }
    }
    return drained.future();
  }

  private void refuse(RoutingContext ctx) {
    JsonObject error = new JsonObject().put("error", new JsonObject().put("code", "shutting_down")
      .put("message", "the server is stopping; try again in " + retryAfterSeconds + " s"));
    boolean bodyLeft = !ctx.request().isEnded();
    ctx.response().setStatusCode(503)
      .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds))
      .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
      .end(error.encode())
      .onComplete(sent -> {
        if (bodyLeft) {
          ctx.request().connection().close();
        }
      });
  }
}
