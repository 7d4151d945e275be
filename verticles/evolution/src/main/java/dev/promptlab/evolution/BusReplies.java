package dev.promptlab.evolution;

import dev.promptlab.contract.FailureCodes;
import dev.promptlab.evolution.store.PromptStoreException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns any failure into {@code message.fail(code, sentence)}, so no request goes unanswered. */
final class BusReplies {

  private static final Logger LOG = LoggerFactory.getLogger(BusReplies.class);

  private BusReplies() {
  }

  static void fail(Message<?> message, Throwable failure) {
    if (failure instanceof RequestFailure r) {
      message.fail(r.code(), r.getMessage());
    } else if (failure instanceof PromptStoreException p) {
      message.fail(codeOf(p), p.getMessage());
    } else if (failure instanceof IllegalArgumentException) {
      message.fail(FailureCodes.INVALID_REQUEST, failure.getMessage());
    } else {
      LOG.error("unexpected failure on {}", message.address(), failure);
      message.fail(FailureCodes.INTERNAL, "the evolution verticle failed unexpectedly");
    }
  }

  static int codeOf(PromptStoreException e) {
    return switch (e.reason()) {
      case INVALID_NAME -> FailureCodes.INVALID_REQUEST;
      case NOT_FOUND -> FailureCodes.NOT_FOUND;
      case ALREADY_EXISTS -> FailureCodes.CONFLICT;
      case INVALID_DOCUMENT -> FailureCodes.INTERNAL;
      case IO_FAILED -> FailureCodes.STORAGE_FAILED;
    };
  }

  /** The request body as a JSON object ({@code null} counts as empty), or INVALID_REQUEST. */
  static JsonObject body(Message<Object> message) {
    Object body = message.body();
    if (body == null) {
      return new JsonObject();
    }
    if (body instanceof JsonObject json) {
      return json;
    }
    throw RequestFailure.invalid("the request body must be a JSON object");
  }

  static String optionalString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw RequestFailure.invalid(key + " must be a string");
    }
    return (String) value;
  }

  static String requiredString(JsonObject body, String key) {
    String value = optionalString(body, key);
    if (value == null || value.isBlank()) {
      throw RequestFailure.invalid(key + " is required");
    }
    return value;
  }
}
