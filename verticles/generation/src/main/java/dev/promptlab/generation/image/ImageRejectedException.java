package dev.promptlab.generation.image;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;

/**
 * An upload or stored image that cannot be used, with the reason a caller can act on. Declared by the validators'
 * signatures although unchecked, so a caller sees where an image can be refused.
 */
public final class ImageRejectedException extends BusFailure {

  /** Why the image was refused; each reason maps to one bus failure code. */
  public enum Reason {
    EMPTY(FailureCodes.INVALID_REQUEST),
    TOO_MANY_BYTES(FailureCodes.TOO_LARGE),
    TOO_MANY_PIXELS(FailureCodes.TOO_LARGE),
    NOT_AN_ACCEPTED_FORMAT(FailureCodes.UNSUPPORTED_MEDIA),
    UNSUPPORTED_VARIANT(FailureCodes.UNSUPPORTED_MEDIA),
    CORRUPT(FailureCodes.INVALID_REQUEST);

    private final int failureCode;

    Reason(int failureCode) {
      this.failureCode = failureCode;
    }

    /** The {@link FailureCodes} value to fail a bus message with. */
    public int failureCode() {
      return failureCode;
    }
  }

  private final Reason reason;

  public ImageRejectedException(Reason reason, String message) {
    super(reason.failureCode(), message);
    this.reason = reason;
  }

  public ImageRejectedException(Reason reason, String message, Throwable cause) {
    super(reason.failureCode(), message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
