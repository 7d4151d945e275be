package dev.promptlab.http.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Stops a request whose client no longer waits for its answer before its body is read: one answered early (a body
 * with broken framing gets its 400 while the caller's token is still being looked up) or whose connection closed
 * during that lookup. Reading it anyway would stream the part of an upload that had already arrived into a spool
 * file that no request would ever end, and so never remove.
 */
public final class StillWaiting {

  private StillWaiting() {
  }

  /** A route handler placed just before the body handlers. */
  public static void check(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    ctx.next();
  }
}
