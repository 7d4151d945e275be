package dev.promptlab.generation.provider;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerationFinished;

/**
 * A provider could not render. {@link #kind()} is the low-cardinality error kind published in
 * {@link GenerationFinished}; the message is safe to show to a trainer (never a key or token).
 */
public final class ProviderFailure extends BusFailure {

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
  private final Long retryAfterMs;

  public ProviderFailure(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public ProviderFailure(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, null);
  }

  public ProviderFailure(Kind kind, String message, Throwable cause, Long retryAfterMs) {
    super(kind == Kind.CIRCUIT_OPEN ? FailureCodes.PROVIDER_UNAVAILABLE : FailureCodes.PROVIDER_FAILED, message, cause);
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }

  public Kind kind() {
    return kind;
  }

  /** How long the service asked us to wait (HTTP {@code Retry-After}), or null. */
  public Long retryAfterMs() {
    return retryAfterMs;
  }

  /** Whether trying the same call again soon can succeed (rate limits, timeouts, 5xx). */
  public boolean retryable() {
    return kind == Kind.TIMEOUT || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR;
  }
}
