package dev.promptlab.http.web;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 400 to a request whose body breaks HTTP/1.1 framing (a chunk size that is not hexadecimal, a chunk line
 * longer than the decoder accepts), instead of letting the client see the connection drop with no answer.
 *
 * <p>Vert.x reports such a body as an exception on the connection, the request and the response, then closes the
 * channel in the same call. Two consequences shape this class. The answer must be written from the response's
 * exception handler, the only place that runs before the close; and because Vert.x holds back flushes while it is
 * reading, the answer is flushed explicitly ({@link VertxConnection#flush()}, the one use of Vert.x internals in this
 * module), or the close would discard it. A connection without an exception handler has every such failure logged
 * by Vert.x as an unhandled error; it is the client's mistake, so it is logged at debug level here.
 */
public final class BrokenFraming {

  private static final Logger LOG = LoggerFactory.getLogger(BrokenFraming.class);

  private BrokenFraming() {
  }

  /** Part of the server's connection handler. */
  public static void opened(HttpConnection connection) {
    connection.exceptionHandler(failure -> LOG.debug("connection from {} failed: {}", connection.remoteAddress(),
      String.valueOf(failure)));
  }

  /** A route handler for requests with a body, ahead of anything that reads it. */
  public static void watch(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    HttpConnection connection = ctx.request().connection();
    response.exceptionHandler(failure -> {
      if (brokenFraming(failure) && !response.headWritten() && !response.closed()) {
        answer(response, connection, failure);
      }
    });
    ctx.next();
  }

  /**
   * Netty's HTTP decoder reports a chunk size it cannot parse as a {@link NumberFormatException} (an
   * {@link IllegalArgumentException}) and a line over its limit as a {@link DecoderException}.
   */
  static boolean brokenFraming(Throwable failure) {
    return failure instanceof DecoderException || failure instanceof IllegalArgumentException;
  }

  private static void answer(HttpServerResponse response, HttpConnection connection, Throwable failure) {
    LOG.debug("answering 400 to a body with broken framing from {}: {}", connection.remoteAddress(),
      String.valueOf(failure));
    JsonObject error = new JsonObject().put("error", new JsonObject().put("code", "invalid_request")
      .put("message", "the request body's HTTP framing is malformed (chunked transfer coding)"));
    response.setStatusCode(400).putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .end(error.encode());
    if (connection instanceof VertxConnection channel) {
      channel.flush();
    }
  }
}
