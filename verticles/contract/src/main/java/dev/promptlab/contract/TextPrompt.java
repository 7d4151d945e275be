package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A text prompt with its current version's state ({@link Addresses#TEXTOPT_PROMPT_SHOW}, {@link Addresses#TEXTOPT_PROMPTS}).
 *
 * @param versions how many versions it has
 */
public record TextPrompt(long id, String name, int version, String systemPrompt, String outputPrompt, int versions,
                         String createdBy, String createdAt, String updatedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("version", version).put("system_prompt", systemPrompt)
      .put("output_prompt", outputPrompt).put("versions", versions).put("created_by", createdBy)
      .put("created_at", createdAt).put("updated_at", updatedAt);
  }

  public static TextPrompt fromJson(JsonObject json) {
    return ReplyFields.typed("a text prompt", () -> new TextPrompt(json.getLong("id"), json.getString("name"),
      json.getInteger("version"), json.getString("system_prompt"), json.getString("output_prompt"),
      json.getInteger("versions"), json.getString("created_by"), json.getString("created_at"),
      json.getString("updated_at")));
  }
}
