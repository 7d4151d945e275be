package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The prompt versions of the next {@code count} samples of a mode ({@link Addresses#EVOLUTION_ASSIGN}). */
public record AssignRequest(String mode, int count) {

  /** The most samples one request assigns. */
  public static final int MAX_COUNT = 10;

  public AssignRequest {
    if (!ParameterSpace.isMode(mode)) {
      throw new IllegalArgumentException("mode must be one of " + ParameterSpace.MODES);
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("count must be an integer from 1 to " + MAX_COUNT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode).put("count", count);
  }

  /** Reads and checks a request ({@code count} defaults to 1); throws {@link IllegalArgumentException}. */
  public static AssignRequest fromJson(JsonObject json) {
    return new AssignRequest(RequestFields.requiredString(json, "mode"),
      (int) RequestFields.wholeNumber(json, "count", 1, MAX_COUNT, 1));
  }
}
