package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row of an uploaded dataset that was not stored: the line of the file it starts on (from 1) and why, as a stable
 * {@code code} with the {@code args} its sentence names (for pages, which say it in their own language) and as the
 * English {@code reason} the API answers with.
 *
 * @param code for example {@code duplicate_id}, {@code expected_missing}; null for a row reported before rows had codes
 * @param args the values the sentence names, for example {@code {"id": "q7", "first_line": "2"}}; empty when none
 */
public record RefusedRow(int line, String reason, String code, Map<String, String> args) {

  public RefusedRow {
    args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args == null ? Map.of() : args));
  }

  public JsonObject toJson() {
    return new JsonObject().put("line", line).put("reason", reason).put("code", code)
      .put("args", new JsonObject(new LinkedHashMap<>(args)));
  }

  public static RefusedRow fromJson(JsonObject json) {
    return ReplyFields.typed("a refused row", () -> {
      Map<String, String> args = new LinkedHashMap<>();
      JsonObject stored = json.getJsonObject("args");
      if (stored != null) {
        stored.forEach(entry -> args.put(entry.getKey(), String.valueOf(entry.getValue())));
      }
      return new RefusedRow(json.getInteger("line"), json.getString("reason"), json.getString("code"), args);
    });
  }
}
