package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every version of a text prompt, newest first ({@link Addresses#TEXTOPT_PROMPT_VERSIONS}). */
public record TextPromptVersions(long id, String name, List<TextPromptVersion> versions) {

  public TextPromptVersions {
    versions = List.copyOf(versions);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name)
      .put("versions", ReplyFields.array(versions, TextPromptVersion::toJson));
  }

  public static TextPromptVersions fromJson(JsonObject json) {
    return ReplyFields.typed("text prompt versions", () -> new TextPromptVersions(json.getLong("id"),
      json.getString("name"), ReplyFields.list(json, "versions", TextPromptVersion::fromJson)));
  }
}
