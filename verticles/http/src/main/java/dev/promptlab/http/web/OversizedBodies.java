package dev.promptlab.http.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Refuses request bodies over the limit so that every kind of client gets the answer: scripts and tools that send
 * the whole body before reading (Python requests, curl with a big file) as well as those that read while sending.
 *
 * <p>Rules:
 * <ul>
 *   <li>The limit is {@code uploadLimit} on the upload paths and {@code otherLimit} elsewhere, as the body
 *       handlers after this one enforce it.</li>
 *   <li>A declared {@code Content-Length} over the limit is refused at once, before authentication and before any
 *       {@code 100 Continue}: a client that sent {@code Expect: 100-continue} gets the 413 instead, sends no body,
 *       and the connection is closed right after the answer.</li>
 *   <li>Every 413 of a request with a body (this refusal, a chunked body the body handler found crossing the limit,
 *       an upload found too large) is sent with {@code Connection: close}; then the rest of the body is read and
 *       discarded, and the connection is closed once the body has ended. Reading on is what lets a client that
 *       writes everything first finish writing and read the answer; closing right away would make the kernel
 *       answer its pending bytes with a reset, which loses the response on many clients.</li>
 *   <li>Discarding is bounded: past {@code drainBytes} more bytes, or {@code lingerMs} after the response, the
 *       connection is closed anyway, so a client that never stops cannot hold it.</li>
 * </ul>
 */
public final class OversizedBodies {

  private static final int TOO_LARGE = 413;

  private final Vertx vertx;
  private final Set<String> uploadPaths;
  private final long uploadLimit;
  private final long otherLimit;
  private final long drainBytes;
  private final long lingerMs;

  public OversizedBodies(Vertx vertx, Set<String> uploadPaths, long uploadLimit, long otherLimit, long drainBytes,
                         long lingerMs) {
    this.vertx = vertx;
    this.uploadPaths = Set.copyOf(uploadPaths);
    this.uploadLimit = uploadLimit;
    this.otherLimit = otherLimit;
    this.drainBytes = drainBytes;
    this.lingerMs = lingerMs;
  }

  /** The first handler of every request that may carry a body. */
  public void guard(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    long limit = uploadPaths.contains(request.path()) ? uploadLimit : otherLimit;
    long declared = declaredLength(request);
    boolean refused = declared > limit;
    // A client that asked for 100 Continue and gets the final answer instead does not send the body: nothing to read.
    boolean bodyFollows = !(refused && expectsContinue(request));
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() == TOO_LARGE) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
    });
    ctx.addEndHandler(done -> {
      if (ctx.response().getStatusCode() != TOO_LARGE) {
        return;
      }
      if (bodyFollows) {
        discardThenClose(request);
      } else {
        request.connection().close();
      }
    });
    if (refused) {
      ctx.fail(ApiError.tooLarge("the request body has " + declared + " bytes; at most " + limit
        + " are accepted here"));
      return;
    }
    ctx.next();
  }

  private void discardThenClose(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = vertx.setTimer(lingerMs, id -> connection.close());
    long[] discarded = {0};
    request.exceptionHandler(failure -> vertx.cancelTimer(timer));
    request.handler(chunk -> {
      discarded[0] += chunk.length();
      if (discarded[0] > drainBytes) {
        vertx.cancelTimer(timer);
        connection.close();
      }
    });
    request.endHandler(end -> {
      vertx.cancelTimer(timer);
      connection.close();
    });
    // Left paused by the authentication step or by a body handler that refused before reading.
    request.resume();
  }

  private static boolean expectsContinue(HttpServerRequest request) {
    String expect = request.getHeader(HttpHeaders.EXPECT);
    return expect != null && expect.strip().equalsIgnoreCase("100-continue");
  }

  /** The declared body length, or -1 when there is none or it is not a number (the body handler decides then). */
  static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
