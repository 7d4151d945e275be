package dev.promptlab.evolution;

import dev.promptlab.contract.BusFailure;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Reads the fields of an evolution request body, refusing a malformed one with INVALID_REQUEST. */
final class RequestBodies {

  private RequestBodies() {
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
    throw BusFailure.invalid("the request body must be a JSON object");
  }

  static String optionalString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw BusFailure.invalid(key + " must be a string");
    }
    return (String) value;
  }

  static String requiredString(JsonObject body, String key) {
    String value = optionalString(body, key);
    if (value == null || value.isBlank()) {
      throw BusFailure.invalid(key + " is required");
    }
    return value;
  }
}
