package dev.promptlab.http.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
 *   <li>A 503 sent with {@code Connection: close} before the body was read (every upload slot taken, see
 *       {@link UploadSlots}) ends the same way: the client is a known caller that may write its whole body before
 *       reading, so it gets its answer too.</li>
 *   <li>Discarding is bounded: past {@code drainBytes} more bytes, or once no byte has come for {@code lingerMs},
 *       the connection is closed anyway, so a client that never stops, or stalls, cannot hold it; a client that
 *       is merely slow because the server is busy keeps sending and gets its answer.</li>
 * </ul>
 */
public final class OversizedBodies {

  private static final int TOO_LARGE = 413;
  private static final int BUSY = 503;

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
      int status = ctx.response().getStatusCode();
      if (status != TOO_LARGE && !(status == BUSY && closing(ctx))) {
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
    long[] discarded = {0};
    long[] lastChunk = {System.nanoTime()};
    long[] timer = {-1};
    Runnable close = () -> {
      vertx.cancelTimer(timer[0]);
      connection.close();
    };
    timer[0] = vertx.setPeriodic(lingerMs, id -> {
      if (System.nanoTime() - lastChunk[0] >= TimeUnit.MILLISECONDS.toNanos(lingerMs)) {
        close.run();
      }
    });
    request.exceptionHandler(failure -> vertx.cancelTimer(timer[0]));
    request.handler(chunk -> {
      lastChunk[0] = System.nanoTime();
      discarded[0] += chunk.length();
      if (discarded[0] > drainBytes) {
        close.run();
      }
    });
    request.endHandler(end -> close.run());
    // Left paused by the authentication step or by a body handler that refused before reading.
    request.resume();
  }

  private static boolean closing(RoutingContext ctx) {
    return HttpHeaders.CLOSE.toString().equalsIgnoreCase(ctx.response().headers().get(HttpHeaders.CONNECTION));
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
