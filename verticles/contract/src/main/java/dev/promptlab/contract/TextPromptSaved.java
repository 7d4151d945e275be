package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The answer to storing a text prompt state: the prompt's id and the version that now holds the state.
 * {@code created} is false when the state equalled the current version's, which then stays current: no version is
 * ever rewritten, and an unchanged state adds none.
 */
public record TextPromptSaved(long id, int version, boolean created) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("version", version).put("created", created);
  }

  public static TextPromptSaved fromJson(JsonObject json) {
    return ReplyFields.typed("a saved prompt", () -> new TextPromptSaved(json.getLong("id"), json.getInteger("version"),
      json.getBoolean("created")));
  }
}
