package dev.promptlab.http.web;

import dev.promptlab.contract.FailureCodes;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Turns a failed event-bus request into the {@link ApiError} an HTTP client sees. */
public final class BusFailures {

  private BusFailures() {
  }

  /**
   * Maps {@code failure} of a request to {@code service}; anything that is not a {@link ReplyException}
   * is passed through unchanged so the failure handler can decide.
   */
  public static Throwable toApiError(String service, Throwable failure) {
    if (failure instanceof ApiError || !(failure instanceof ReplyException reply)) {
      return failure;
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return ApiError.timeout(service + " did not answer in time");
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return ApiError.unavailable(service + " is not running");
    }
    String message = reply.getMessage() == null ? service + " failed" : reply.getMessage();
    return switch (reply.failureCode()) {
      case FailureCodes.INVALID_REQUEST -> ApiError.badRequest(message);
      case FailureCodes.NOT_FOUND -> ApiError.notFound(message);
      case FailureCodes.CONFLICT -> ApiError.conflict(message);
      case FailureCodes.UNSUPPORTED_MEDIA -> ApiError.unsupportedMedia(message);
      case FailureCodes.TOO_LARGE -> ApiError.tooLarge(message);
      case FailureCodes.PROVIDER_FAILED -> new ApiError(502, "provider_failed", message);
      case FailureCodes.PROVIDER_UNAVAILABLE -> new ApiError(503, "provider_unavailable", message);
      case FailureCodes.BUSY -> new ApiError(503, "busy", message);
      case FailureCodes.STORAGE_FAILED -> new ApiError(503, "storage_failed", message);
      // The neighbour's internals are its own business: say which service failed, not how.
      default -> ApiError.upstream(service + " failed to handle the request");
    };
  }
}
