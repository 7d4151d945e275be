package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One immutable version of a text prompt.
 *
 * @param parentVersion the version it was made from, null for the first
 * @param origin {@code manual} (written through the API); later also {@code optimizer}
 */
public record TextPromptVersion(int version, String systemPrompt, String outputPrompt, Integer parentVersion,
                                String origin, String createdBy, String createdAt) {

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("system_prompt", systemPrompt)
      .put("output_prompt", outputPrompt).put("parent_version", parentVersion).put("origin", origin)
      .put("created_by", createdBy).put("created_at", createdAt);
  }

  public static TextPromptVersion fromJson(JsonObject json) {
    return ReplyFields.typed("a text prompt version", () -> new TextPromptVersion(json.getInteger("version"),
      json.getString("system_prompt"), json.getString("output_prompt"), json.getInteger("parent_version"),
      json.getString("origin"), json.getString("created_by"), json.getString("created_at")));
  }
}
