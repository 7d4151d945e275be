package dev.promptlab.contract;

/**
 * Integer failure codes carried by {@code Message.fail(code, message)} on every request/reply
 * address. Callers branch on {@code ReplyException.failureCode()}; the http verticle maps each code to
 * an HTTP status. The numbers are part of the contract: never reuse or renumber one.
 */
public final class FailureCodes {

  private FailureCodes() {
  }

  /** The request payload is malformed or a value is out of range. */
  public static final int INVALID_REQUEST = 1001;
  /** The thing named in the request does not exist. */
  public static final int NOT_FOUND = 1002;
  /** The request contradicts what is already stored (e.g. a different rating for a rated option). */
  public static final int CONFLICT = 1003;
  /** The uploaded content is not an image format we accept. */
  public static final int UNSUPPORTED_MEDIA = 1004;
  /** The upload exceeds the byte or pixel limits. */
  public static final int TOO_LARGE = 1005;
  /** An external provider (image API, LLM, storage) failed or timed out. */
  public static final int PROVIDER_FAILED = 2001;
  /** The provider's circuit breaker is open; the call was not attempted. */
  public static final int PROVIDER_UNAVAILABLE = 2002;
  /** The verticle is at its capacity (e.g. its decode memory budget) and its queue is full; try again later. */
  public static final int BUSY = 2004;
  /** The database could not be reached or the statement failed. */
  public static final int STORAGE_FAILED = 2003;
  /** An unexpected error inside the verticle. */
  public static final int INTERNAL = 3001;
}
