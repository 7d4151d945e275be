package dev.promptlab.generation.provider;

import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerationFinished;

/**
 * A provider could not render. {@link #kind()} is the low-cardinality error kind published in
 * {@link GenerationFinished}; the message is safe to show to a trainer (never a key or token).
 */
public final class ProviderFailure extends RuntimeException {

  /** The {@link GenerationFinished#errorKind()} vocabulary. */
  public enum Kind {
    TIMEOUT("timeout"),
    RATE_LIMITED("rate_limited"),
    AUTH("auth"),
    SERVER_ERROR("server_error"),
    BAD_RESPONSE("bad_response"),
    CIRCUIT_OPEN("circuit_open"),
    OTHER("other");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final Kind kind;

  public ProviderFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public ProviderFailure(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether trying the same call again soon can succeed (rate limits, timeouts, 5xx). */
  public boolean retryable() {
    return kind == Kind.TIMEOUT || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR;
  }

  /** The bus failure code for this failure. */
  public int failureCode() {
    return kind == Kind.CIRCUIT_OPEN ? FailureCodes.PROVIDER_UNAVAILABLE : FailureCodes.PROVIDER_FAILED;
  }
}
