package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Ask a study for {@code count} distinct parameter sets to try next. */
public record SuggestRequest(String study, int count) {

  /** The most parameter sets one request asks for. */
  public static final int MAX_COUNT = 16;

  public SuggestRequest {
    if (!ParameterSpace.isMode(study)) {
      throw new IllegalArgumentException("study must be one of " + ParameterSpace.MODES);
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("count must be in [1, " + MAX_COUNT + "]");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("study", study).put("count", count);
  }

  public static SuggestRequest fromJson(JsonObject json) {
    return new SuggestRequest(json.getString("study"), json.getInteger("count", 1));
  }
}
