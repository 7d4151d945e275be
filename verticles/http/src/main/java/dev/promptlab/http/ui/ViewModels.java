package dev.promptlab.http.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fragments render the very JSON the API answers; templates read plain maps and lists, so the
 * JSON is unwrapped here.
 */
public final class ViewModels {

  private ViewModels() {
  }

  public static Map<String, Object> of(JsonObject json) {
    Map<String, Object> map = new LinkedHashMap<>();
    json.forEach(entry -> map.put(entry.getKey(), value(entry.getValue())));
    return map;
  }

  public static List<Object> of(JsonArray array) {
    List<Object> list = new ArrayList<>();
    array.forEach(item -> list.add(value(item)));
    return list;
  }

  private static Object value(Object value) {
    if (value instanceof JsonObject object) {
      return of(object);
    }
    if (value instanceof JsonArray array) {
      return of(array);
    }
    return value;
  }
}
