package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every prompt version with its performance, newest first ({@link Addresses#EVOLUTION_VERSIONS}). */
public record PromptVersions(List<PromptVersionSummary> versions) {

  public PromptVersions {
    versions = List.copyOf(versions);
  }

  public JsonObject toJson() {
    return new JsonObject().put("versions", ReplyFields.array(versions, PromptVersionSummary::toJson));
  }

  public static PromptVersions fromJson(JsonObject json) {
    return new PromptVersions(ReplyFields.list(json, "versions", PromptVersionSummary::fromJson));
  }
}
