package dev.promptlab.evolution.store;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;

/** Why a prompt-store operation was refused or failed; {@link #reason()} lets callers map it to a failure code. */
public final class PromptStoreException extends BusFailure {

  /** The kinds of refusal and failure the store reports. */
  public enum Reason {
    /** The version name is malformed or tries to leave the versions folder. */
    INVALID_NAME,
    /** No such version (or no current pointer). */
    NOT_FOUND,
    /** The document breaks the schema or the store's rules. */
    INVALID_DOCUMENT,
    /** A version with that name exists already: history is never rewritten. */
    ALREADY_EXISTS,
    /** Reading or writing a file failed. */
    IO_FAILED
  }

  private final Reason reason;

  public PromptStoreException(Reason reason, String message) {
    super(codeOf(reason), message);
    this.reason = reason;
  }

  public PromptStoreException(Reason reason, String message, Throwable cause) {
    super(codeOf(reason), message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  private static int codeOf(Reason reason) {
    return switch (reason) {
      case INVALID_NAME -> FailureCodes.INVALID_REQUEST;
      case NOT_FOUND -> FailureCodes.NOT_FOUND;
      case ALREADY_EXISTS -> FailureCodes.CONFLICT;
      case INVALID_DOCUMENT -> FailureCodes.INTERNAL;
      case IO_FAILED -> FailureCodes.STORAGE_FAILED;
    };
  }
}
