package dev.promptlab.http.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Caps the uploads in progress, the requests that hold the most memory (the body, its copy on the bus, the
 * decoded image).
 *
 * <p>Rules: an upload takes a slot from its headers until its answer is sent or its connection is lost; with
 * every slot taken, a new upload gets 503 {@code busy} with {@code Retry-After} and {@code Connection: close}
 * before its body is read; after the answer the rest of its body is discarded and the connection closed (see
 * {@link OversizedBodies}), so a client that writes its whole body first still reads the 503.
 *
 * <p>Not thread-safe: one instance per verticle, used on its event loop only.
 */
public final class UploadSlots {

  private final int slots;
  private final long retryAfterSeconds;
  private int taken;

  public UploadSlots(int slots, long retryAfterSeconds) {
    this.slots = slots;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Put before the upload body handler. */
  public void admit(RoutingContext ctx) {
    if (taken >= slots) {
      if (!ctx.request().isEnded()) {
        // OversizedBodies, the first handler, discards the body after the answer and then closes the connection.
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
      ctx.fail(new ApiError(503, "busy", "the server is handling " + slots
        + " uploads already; try again in " + retryAfterSeconds + " s"));
      return;
    }
    taken++;
    ctx.addEndHandler(done -> taken--);
    ctx.next();
  }
}
