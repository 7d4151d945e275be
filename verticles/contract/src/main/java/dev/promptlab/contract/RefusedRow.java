package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** A row of an uploaded dataset that was not stored: the line of the file it starts on (from 1) and why. */
public record RefusedRow(int line, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("line", line).put("reason", reason);
  }

  public static RefusedRow fromJson(JsonObject json) {
    return ReplyFields.typed("a refused row", () -> new RefusedRow(json.getInteger("line"), json.getString("reason")));
  }
}
