package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The newest {@code limit} entries of a list ({@link Addresses#EVOLUTION_HISTORY},
 * {@link Addresses#EVOLUTION_DECISIONS}).
 */
public record ListRequest(int limit) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 200;

  public ListRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be an integer from 1 to " + MAX_LIMIT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("limit", limit);
  }

  /** Reads and checks a request ({@code limit} defaults to {@value #DEFAULT_LIMIT}). */
  public static ListRequest fromJson(JsonObject json) {
    return new ListRequest((int) RequestFields.wholeNumber(json, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT));
  }
}
