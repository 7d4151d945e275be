package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One prompt version as {@link PromptVersions} lists it: where it comes from, what it is for, how it does. */
public record PromptVersionSummary(String version, String parentVersion, String createdAt, String createdBy,
                                   String description, List<String> tags, boolean isCurrent,
                                   VersionPerformance performance) {

  public PromptVersionSummary {
    tags = List.copyOf(tags);
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("parent_version", parentVersion)
      .put("created_at", createdAt).put("created_by", createdBy).put("description", description)
      .put("tags", new JsonArray(List.copyOf(tags))).put("is_current", isCurrent)
      .put("performance", performance.toJson());
  }

  /** Reads the summary; throws {@link IllegalArgumentException} when the version is missing or a field is mistyped. */
  public static PromptVersionSummary fromJson(JsonObject json) {
    return ReplyFields.typed("the version summary", () -> {
      String version = RequestFields.requiredString(json, "version");
      List<String> tags = json.getJsonArray("tags", new JsonArray()).stream().map(String.class::cast).toList();
      return new PromptVersionSummary(version, json.getString("parent_version"), json.getString("created_at"),
        json.getString("created_by"), json.getString("description"), tags, json.getBoolean("is_current", false),
        VersionPerformance.fromJson(json.getJsonObject("performance", new JsonObject())));
    });
  }
}
