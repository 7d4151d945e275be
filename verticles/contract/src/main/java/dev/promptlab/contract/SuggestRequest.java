package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Ask a study for {@code count} distinct parameter sets to try next. */
public record SuggestRequest(String study, int count) {

  public SuggestRequest {
    if (!ParameterSpace.isMode(study)) {
      throw new IllegalArgumentException("study must be one of " + ParameterSpace.MODES);
    }
    if (count < 1 || count > 16) {
      throw new IllegalArgumentException("count must be in [1, 16]");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("study", study).put("count", count);
  }

  public static SuggestRequest fromJson(JsonObject json) {
    return new SuggestRequest(json.getString("study"), json.getInteger("count", 1));
  }
}
