package dev.promptlab.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * How the records of this contract read a request body: each refusal is an {@link IllegalArgumentException} with
 * a sentence naming the field, which {@link BusFailure#reply} answers with {@link FailureCodes#INVALID_REQUEST}.
 */
public final class RequestFields {

  private RequestFields() {
  }

  /** The body of a request as a JSON object; {@code null} counts as empty. */
  public static JsonObject body(Object body) {
    if (body == null) {
      return new JsonObject();
    }
    if (body instanceof JsonObject json) {
      return json;
    }
    throw new IllegalArgumentException("the request body must be a JSON object");
  }

  public static String optionalString(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException(key + " must be a string");
    }
    return (String) value;
  }

  /** A string that must be present and not blank. */
  public static String requiredString(JsonObject json, String key) {
    String value = optionalString(json, key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return value;
  }

  /** An optional string of at most {@code max} characters, stripped; blank counts as absent. */
  public static String boundedString(JsonObject json, String key, int max) {
    String value = optionalString(json, key);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(key + " must be at most " + max + " characters");
    }
    return value.strip();
  }

  /** A whole number within {@code [min, max]}, {@code fallback} when absent. */
  public static long wholeNumber(JsonObject json, String key, long min, long max, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < min
      || n.longValue() > max) {
      throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max);
    }
    return n.longValue();
  }

  /** A whole number within {@code [min, max]} that must be present. */
  public static long requiredWholeNumber(JsonObject json, String key, long min, long max) {
    if (json.getValue(key) == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    return wholeNumber(json, key, min, max, 0);
  }

  /** A JSON object that must be present. */
  public static JsonObject requiredObject(JsonObject json, String key, String shape) {
    if (!(json.getValue(key) instanceof JsonObject object)) {
      throw new IllegalArgumentException(key + " must be an object with " + shape);
    }
    return object;
  }

  /**
   * Bytes that must be present: a {@link Buffer}, or base64 text (standard or URL-safe), which is what a buffer
   * becomes on a wire. Decoding takes time in proportion to the size, so handlers call this off the event loop.
   */
  public static Buffer requiredBytes(JsonObject json, String key, String what) {
    // Read from the raw map: JsonObject.getValue would turn a buffer into base64 text.
    Object value = json.getMap().get(key);
    if (value instanceof Buffer buffer) {
      return buffer;
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(value == null ? key + " is missing: send " + what
        : key + " must be " + what);
    }
    try {
      return Buffer.buffer(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException standard) {
      try {
        return Buffer.buffer(Base64.getUrlDecoder().decode(text));
      } catch (IllegalArgumentException url) {
        throw new IllegalArgumentException(key + " must be " + what + " (a buffer or base64 text)");
      }
    }
  }
}
