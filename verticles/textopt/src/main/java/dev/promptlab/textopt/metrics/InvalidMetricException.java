package dev.promptlab.textopt.metrics;

/**
 * A metric cannot be built as asked: an unknown name, a missing or unexpected option, a schema or pattern that does
 * not compile. The message is written for the person who made the request (an API answers it with a 400).
 */
public final class InvalidMetricException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  InvalidMetricException(String message) {
    super(message);
  }

  InvalidMetricException(String message, Throwable cause) {
    super(message, cause);
  }
}
