package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The answer to {@link Addresses#TEXTOPT_RUN_PROMOTE}: the run's prompt and the version that is now its current one.
 *
 * @param previousVersion the version that was current before
 */
public record TextRunPromoted(long runId, long promptId, int version, int previousVersion) {

  public JsonObject toJson() {
    return new JsonObject().put("run_id", runId).put("prompt_id", promptId).put("version", version)
      .put("previous_version", previousVersion);
  }

  public static TextRunPromoted fromJson(JsonObject json) {
    return ReplyFields.typed("a promotion", () -> new TextRunPromoted(json.getLong("run_id"),
      json.getLong("prompt_id"), json.getInteger("version"), json.getInteger("previous_version")));
  }
}
