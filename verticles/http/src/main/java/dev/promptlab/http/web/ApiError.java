package dev.promptlab.http.web;

import io.vertx.core.json.JsonObject;

/**
 * A request that ends in a clear HTTP error: the status, a stable machine-readable code and a
 * human-readable message, and optionally details the caller can act on. Rendered as
 * {@code {"error": {"code": ..., "message": ..., "details"?: {...}}}} by {@link FailureResponder}; pure
 * logic throws it to refuse input.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final JsonObject details;
  private final String messageKey;

  public ApiError(int status, String code, String message) {
    this(status, code, message, null, null);
  }

  private ApiError(int status, String code, String message, JsonObject details, String messageKey) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
    this.messageKey = messageKey;
  }

  /** The same error carrying {@code details} (answered as {@code error.details}). */
  public ApiError withDetails(JsonObject details) {
    return new ApiError(status, code, getMessage(), details, messageKey);
  }

  /**
   * The same error with the key of its text in the page bundles: pages show that text in the page's
   * language instead of the (English) message; the JSON answer is unchanged.
   */
  public ApiError withMessageKey(String key) {
    return new ApiError(status, code, getMessage(), details, key);
  }

  /** The bundle key of a page's text for this error, or null. */
  public String messageKey() {
    return messageKey;
  }

  /** What the caller can act on (for example the stored experiment of a failed upload), or null. */
  public JsonObject details() {
    return details;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "invalid_request", message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message);
  }

  public static ApiError tooLarge(String message) {
    return new ApiError(413, "too_large", message);
  }

  public static ApiError unsupportedMedia(String message) {
    return new ApiError(415, "unsupported_media", message);
  }

  public static ApiError upstream(String message) {
    return new ApiError(502, "upstream_failed", message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message);
  }

  public static ApiError timeout(String message) {
    return new ApiError(504, "timeout", message);
  }
}
