package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A text prompt taken out of use ({@link Addresses#TEXTOPT_PROMPT_DELETE}): it is no longer listed or answered, and
 * its name is free again; its {@code versions} stay stored, since runs refer to them.
 */
public record TextPromptDeleted(long id, int versions) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("deleted", true).put("versions", versions);
  }

  public static TextPromptDeleted fromJson(JsonObject json) {
    return ReplyFields.typed("a deleted prompt", () -> new TextPromptDeleted(json.getLong("id"),
      json.getInteger("versions")));
  }
}
