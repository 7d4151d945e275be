package dev.promptlab.http.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that hold the server without using it (slowloris and its variants).
 *
 * <p>Rules:
 * <ul>
 *   <li>header: a new connection must deliver its first request's headers within {@code headerMs};</li>
 *   <li>body: a request's body must have arrived whole within {@code bodyMs} of its headers; otherwise it is
 *       answered 408 with {@code Connection: close} when nothing was answered yet, and the connection is closed;</li>
 *   <li>idle: a kept-alive connection on which no new request started within {@code idleMs} of the last answer is
 *       closed.</li>
 * </ul>
 * The wait for an answer (an upload being generated) is not bounded here: the request timeout bounds it. Vert.x's
 * own idle timeout cannot stand in: it closes a connection whose request is still being worked on.
 *
 * <p>Not thread-safe: one instance per verticle, used on its event loop only.
 */
public final class ConnectionDeadlines {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);

  /** The three limits, in milliseconds. */
  public record Limits(long headerMs, long bodyMs, long idleMs) {
  }

  private final Vertx vertx;
  private final Limits limits;
  /** The timer waiting for the next request's headers, per open connection. */
  private final Map<HttpConnection, Long> waiting = new HashMap<>();

  public ConnectionDeadlines(Vertx vertx, Limits limits) {
    this.vertx = vertx;
    this.limits = limits;
  }

  /** The server's connection handler. */
  public void opened(HttpConnection connection) {
    connection.closeHandler(closed -> disarm(connection));
    arm(connection, limits.headerMs(), "its first request's headers");
  }

  /** The first route handler: the headers are in; the body now has its deadline; the answer re-arms the idle one. */
  public void track(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    disarm(connection);
    if (!request.isEnded()) {
      long timer = vertx.setTimer(limits.bodyMs(), id -> bodyTooSlow(request));
      request.end().onComplete(done -> vertx.cancelTimer(timer));
    }
    ctx.addEndHandler(done -> {
      if (done.succeeded()) {
        arm(connection, limits.idleMs(), "a next request");
      }
    });
    ctx.next();
  }

  private void arm(HttpConnection connection, long ms, String awaited) {
    disarm(connection);
    waiting.put(connection, vertx.setTimer(ms, id -> {
      waiting.remove(connection);
      LOG.debug("closing a connection from {}: waited {} ms for {}", connection.remoteAddress(), ms, awaited);
      connection.close();
    }));
  }

  private void disarm(HttpConnection connection) {
    Long timer = waiting.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void bodyTooSlow(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    LOG.debug("closing a connection from {}: the body of {} {} did not arrive within {} ms",
      connection.remoteAddress(), request.method(), request.path(), limits.bodyMs());
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.ended() || response.closed()) {
      connection.close();
      return;
    }
    JsonObject error = new JsonObject().put("error", new JsonObject().put("code", "request_timeout")
      .put("message", "the request body did not arrive within " + limits.bodyMs() + " ms"));
    response.setStatusCode(408).putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
      .end(error.encode())
      .onComplete(sent -> connection.close());
  }
}
