package dev.promptlab.http.web;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler of the JSON side: every failed route answers
 * {@code {"error": {"code", "message"}}} (plus {@code "details"} when the error carries them) with the
 * matching status, never a stack trace.
 */
public final class FailureResponder {

  private static final Logger LOG = LoggerFactory.getLogger(FailureResponder.class);
  /** Retry-After of a 503 that did not set its own (the drain and the upload slots use retry_after_seconds). */
  static final int DEFAULT_RETRY_AFTER_SECONDS = 10;

  private FailureResponder() {
  }

  /** The error a failed context stands for (also used by the htmx fragments to render it as HTML). */
  public static ApiError classify(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError error) {
      return error;
    }
    if (failure instanceof ReplyException) {
      Throwable mapped = BusFailures.toApiError("a service", failure);
      if (mapped instanceof ApiError error) {
        return error;
      }
    }
    return switch (ctx.statusCode()) {
      case 400 -> ApiError.badRequest("the request is malformed");
      case 401 -> ApiError.unauthorized("authentication is required");
      case 403 -> ApiError.forbidden("access denied");
      case 404 -> ApiError.notFound("no such resource: " + ctx.request().path());
      case 405 -> new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed here");
      case 413 -> ApiError.tooLarge("the request body is larger than this server accepts");
      case 415 -> ApiError.unsupportedMedia("unsupported content type");
      case 503 -> ApiError.unavailable("the service is unavailable");
      case 504 -> ApiError.timeout("the request took too long");
      default -> {
        LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
        yield new ApiError(500, "internal_error", "an unexpected error occurred; it was logged");
      }
    };
  }

  /**
   * Whether the response was already sent, so a late failure (an upload stream cancelled after a 413, say) has
   * nothing left to answer and must neither be logged as an error nor reset a connection that is closing cleanly.
   */
  public static boolean alreadyAnswered(RoutingContext ctx) {
    if (!ctx.response().ended()) {
      return false;
    }
    LOG.debug("failure after the response to {} {} was sent: {}", ctx.request().method(), ctx.request().path(),
      String.valueOf(ctx.failure()));
    return true;
  }

  public static void respond(RoutingContext ctx) {
    if (alreadyAnswered(ctx)) {
      return;
    }
    ApiError error = classify(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    JsonObject detail = new JsonObject().put("code", error.code()).put("message", error.getMessage());
    if (error.details() != null) {
      detail.put("details", error.details());
    }
    JsonObject body = new JsonObject().put("error", detail);
    ctx.response().setStatusCode(error.status()).putHeader("content-type", "application/json; charset=utf-8");
    if (error.status() == 401) {
      ctx.response().putHeader("www-authenticate", "Bearer");
    }
    if (error.status() == 503 && ctx.response().headers().get("retry-after") == null) {
      // Every 503 here is temporary (a neighbour busy or restarting, storage unreachable): say when to come back.
      ctx.response().putHeader("retry-after", String.valueOf(DEFAULT_RETRY_AFTER_SECONDS));
    }
    ctx.response().end(body.encode());
  }
}
