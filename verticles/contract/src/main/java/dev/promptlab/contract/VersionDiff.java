package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * What changed from one prompt version to another ({@link Addresses#EVOLUTION_DIFF}). {@code related} is
 * {@code parent}, {@code child}, {@code sibling} or {@code other}; each API block holds, for {@code prompt} and
 * {@code negative_prompt}, whether they changed and the phrases added, removed and kept, and under
 * {@code settings} each setting that changed with its {@code from} and {@code to} values.
 */
public record VersionDiff(String from, String to, String related, JsonObject leonardo, JsonObject stablediffusion) {

  public JsonObject toJson() {
    return new JsonObject().put("from", from).put("to", to).put("related", related)
      .put(PromptVersionDocument.LEONARDO, leonardo).put(PromptVersionDocument.STABLE_DIFFUSION, stablediffusion);
  }

  /** Reads the diff; throws {@link IllegalArgumentException} when a version is missing or a part is mistyped. */
  public static VersionDiff fromJson(JsonObject json) {
    return ReplyFields.typed("the version diff", () -> new VersionDiff(RequestFields.requiredString(json, "from"),
      RequestFields.requiredString(json, "to"), json.getString("related"),
      json.getJsonObject(PromptVersionDocument.LEONARDO), json.getJsonObject(PromptVersionDocument.STABLE_DIFFUSION)));
  }
}
