package dev.promptlab.llm;

/**
 * A chat call that produced no answer. {@link #kind()} says why, {@link #status()} is the last HTTP status (0 when
 * no response came), {@link #attempts()} how many HTTP attempts were made. The message is for people and logs: it
 * never holds the API key or anything that looks like one.
 */
public final class ChatFailure extends RuntimeException {

  /** Why a call failed. */
  public enum Kind {
    /** No complete answer within the timeout, on every attempt. */
    TIMEOUT,
    /** The server could not be reached, or dropped the connection, on every attempt. */
    CONNECTION,
    /** 429 on every attempt, or the server asked to wait longer than the client may. */
    RATE_LIMITED,
    /** 5xx (or 408/409) on every attempt. */
    SERVER_ERROR,
    /** 401 or 403: the key is missing, wrong or lacks access. Not retried. */
    UNAUTHORIZED,
    /**
     * Another 4xx, or 501: the server refuses the request as it is (unknown model, bad parameter, a feature it does
     * not have). Not retried.
     */
    REJECTED,
    /** The server answered, but not with a readable chat completion. Not retried. */
    BAD_RESPONSE,
    /** A completion with no text: a refusal, or tool calls. Not retried. */
    NO_CONTENT,
    /** Too many calls already wait for a free slot. */
    OVERLOADED,
    /** The client was closed. */
    CLOSED
  }

  private final Kind kind;
  private final int status;
  private final int attempts;

  public ChatFailure(Kind kind, int status, int attempts, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
    this.attempts = attempts;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  /** True when the failure says nothing about the request itself: trying again later may succeed. */
  public boolean transientFailure() {
    return switch (kind) {
      case TIMEOUT, CONNECTION, RATE_LIMITED, SERVER_ERROR, OVERLOADED -> true;
      default -> false;
    };
  }
}
