package dev.promptlab.contract;

import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure that knows its {@link FailureCodes} code and the sentence the caller sees. Every verticle answers a
 * failed request through {@link #reply}, so the mapping from a throwable to a failure code is written once: a
 * {@code BusFailure} (or a subclass, such as a provider or storage failure) carries its own code, a malformed
 * value ({@link IllegalArgumentException}, {@link ClassCastException}) is {@link FailureCodes#INVALID_REQUEST},
 * anything else is {@link FailureCodes#INTERNAL} and logged with its stack.
 */
public class BusFailure extends RuntimeException {

  private static final Logger LOG = LoggerFactory.getLogger(BusFailure.class);

  private final int code;

  public BusFailure(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** A failure with the cause kept for the log; the stack is filled in, as the cause's origin matters. */
  public BusFailure(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The {@link FailureCodes} value the request is failed with. */
  public int code() {
    return code;
  }

  /**
   * The sentence the caller sees. Defaults to the message; a subclass whose message names internals (a storage
   * key, a file path) returns a plainer sentence and keeps the message for the log.
   */
  public String callerMessage() {
    return getMessage();
  }

  public static BusFailure invalid(String message) {
    return new BusFailure(FailureCodes.INVALID_REQUEST, message);
  }

  public static BusFailure notFound(String message) {
    return new BusFailure(FailureCodes.NOT_FOUND, message);
  }

  public static BusFailure conflict(String message) {
    return new BusFailure(FailureCodes.CONFLICT, message);
  }

  public static BusFailure storage(String message) {
    return new BusFailure(FailureCodes.STORAGE_FAILED, message);
  }

  public static BusFailure internal(String message) {
    return new BusFailure(FailureCodes.INTERNAL, message);
  }

  /** The failure code {@code failure} is answered with. */
  public static int codeOf(Throwable failure) {
    if (failure instanceof BusFailure known) {
      return known.code;
    }
    if (failure instanceof IllegalArgumentException || failure instanceof ClassCastException) {
      return FailureCodes.INVALID_REQUEST;
    }
    return FailureCodes.INTERNAL;
  }

  /**
   * Fails {@code message} with the code and sentence of {@code failure}, so no request goes unanswered. An
   * unexpected failure is logged with its stack and answered with a sentence naming only {@code verticle}.
   */
  public static void reply(Message<?> message, Throwable failure, String verticle) {
    if (failure instanceof BusFailure known) {
      if (known.code == FailureCodes.STORAGE_FAILED || known.code == FailureCodes.INTERNAL) {
        LOG.warn("{} failed on {}: {}", verticle, message.address(), known.getMessage());
      }
      message.fail(known.code, known.callerMessage());
    } else if (codeOf(failure) == FailureCodes.INVALID_REQUEST) {
      message.fail(FailureCodes.INVALID_REQUEST, String.valueOf(failure.getMessage()));
    } else {
      LOG.error("unexpected failure on {}", message.address(), failure);
      message.fail(FailureCodes.INTERNAL, "the " + verticle + " verticle failed unexpectedly");
    }
  }
}
