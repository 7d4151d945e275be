package dev.promptlab.evolution;

import dev.promptlab.contract.FailureCodes;

/** A failure that already knows its {@link FailureCodes} code and the sentence the caller sees. */
public final class RequestFailure extends RuntimeException {

  private final int code;

  public RequestFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static RequestFailure invalid(String message) {
    return new RequestFailure(FailureCodes.INVALID_REQUEST, message);
  }

  public static RequestFailure notFound(String message) {
    return new RequestFailure(FailureCodes.NOT_FOUND, message);
  }

  public static RequestFailure conflict(String message) {
    return new RequestFailure(FailureCodes.CONFLICT, message);
  }
}
