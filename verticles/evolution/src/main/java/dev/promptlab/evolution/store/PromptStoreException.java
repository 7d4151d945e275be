package dev.promptlab.evolution.store;

/** Why a prompt-store operation was refused or failed; {@link #reason()} lets callers map it to a failure code. */
public final class PromptStoreException extends RuntimeException {

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
    super(message);
    this.reason = reason;
  }

  public PromptStoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
