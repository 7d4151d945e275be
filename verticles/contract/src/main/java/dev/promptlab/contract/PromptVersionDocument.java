package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One prompt version as the prompt store keeps it ({@link Addresses#EVOLUTION_VERSION_SHOW}), with its live
 * performance. {@code leonardo} and {@code stablediffusion} are the per-API blocks ({@code prompt},
 * {@code negative_prompt} and the API's own setting names); {@code metadata} (description, tags, what an evolution
 * changed and why) is passed on as stored; {@code isCurrent} is null while the version is not yet mirrored.
 */
public record PromptVersionDocument(String version, String createdAt, String createdBy, String parentVersion,
                                    JsonObject leonardo, JsonObject stablediffusion, VersionPerformance performance,
                                    JsonObject metadata, Boolean isCurrent) {

  /** The API block named as {@link GenerationParameters#api()} names the APIs. */
  public static final String LEONARDO = "leonardo";
  public static final String STABLE_DIFFUSION = "stablediffusion";

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("version", version).put("created_at", createdAt)
      .put("created_by", createdBy).put("parent_version", parentVersion).put(LEONARDO, leonardo)
      .put(STABLE_DIFFUSION, stablediffusion).put("performance", performance.toJson()).put("metadata", metadata);
    // A version not mirrored yet has no known state rather than a false one.
    return isCurrent == null ? json : json.put("is_current", isCurrent);
  }

  /**
   * The prompt of {@code api} ({@link #LEONARDO} or {@link #STABLE_DIFFUSION}); throws
   * {@link IllegalArgumentException} when the version has none.
   */
  public PromptText prompt(String api) {
    JsonObject block = LEONARDO.equals(api) ? leonardo : STABLE_DIFFUSION.equals(api) ? stablediffusion : null;
    if (block == null || !(block.getValue("prompt") instanceof String prompt)) {
      throw new IllegalArgumentException("the prompt version " + version + " has no " + api + " prompt");
    }
    return new PromptText(prompt, block.getValue("negative_prompt") instanceof String negative ? negative : "");
  }

  /** Reads the document; throws {@link IllegalArgumentException} when the version is missing or a part is mistyped. */
  public static PromptVersionDocument fromJson(JsonObject json) {
    return ReplyFields.typed("the prompt version", () -> new PromptVersionDocument(
      RequestFields.requiredString(json, "version"), json.getString("created_at"), json.getString("created_by"),
      json.getString("parent_version"), json.getJsonObject(LEONARDO), json.getJsonObject(STABLE_DIFFUSION),
      VersionPerformance.fromJson(json.getJsonObject("performance", new JsonObject())),
      json.getJsonObject("metadata"), json.getBoolean("is_current")));
  }
}
