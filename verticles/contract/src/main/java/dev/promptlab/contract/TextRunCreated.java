package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The answer to {@link Addresses#TEXTOPT_RUN_CREATE}: the new run's id and status ({@code queued} or {@code running}). */
public record TextRunCreated(long id, String status) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("status", status);
  }

  public static TextRunCreated fromJson(JsonObject json) {
    return ReplyFields.typed("a created run", () -> new TextRunCreated(json.getLong("id"), json.getString("status")));
  }
}
