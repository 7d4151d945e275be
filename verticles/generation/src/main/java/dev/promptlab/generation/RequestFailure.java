package dev.promptlab.generation;

import dev.promptlab.contract.FailureCodes;

/** A failure that already knows its {@link FailureCodes} code and the sentence the caller sees. */
final class RequestFailure extends RuntimeException {

  private final int code;

  RequestFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static RequestFailure invalid(String message) {
    return new RequestFailure(FailureCodes.INVALID_REQUEST, message);
  }

  int code() {
    return code;
  }
}
