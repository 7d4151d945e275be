package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How the reply records read nested parts: a part of the wrong type is an {@link IllegalArgumentException} naming
 * the field, as a malformed request is, instead of a {@link ClassCastException} from deep inside a mapping.
 */
final class ReplyFields {

  private ReplyFields() {
  }

  /** The objects of the array {@code key} read by {@code read}; an absent array is empty. */
  static <T> List<T> list(JsonObject json, String key, Function<JsonObject, T> read) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(key + " must be an array");
    }
    List<T> items = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject object)) {
        throw new IllegalArgumentException("every entry of " + key + " must be an object");
      }
      items.add(read.apply(object));
    }
    return items;
  }

  /** The array of the records' JSON. */
  static <T> JsonArray array(List<T> items, Function<T, JsonObject> write) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(write.apply(item)));
    return array;
  }

  /** The object {@code key} read by {@code read}, or null when absent. */
  static <T> T optional(JsonObject json, String key, Function<JsonObject, T> read) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(key + " must be an object");
    }
    return read.apply(object);
  }

  /** Reads with {@code read}, turning a field of the wrong type into an {@link IllegalArgumentException}. */
  static <T> T typed(String what, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a field of " + what + " has the wrong type", e);
    }
  }
}
