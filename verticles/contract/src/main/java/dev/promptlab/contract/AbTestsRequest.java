package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The newest {@code limit} A/B tests, of one {@code status} or of all when it is null
 * ({@link Addresses#EVOLUTION_AB_TESTS}).
 */
public record AbTestsRequest(String status, int limit) {

  public static final List<String> STATUSES = List.of("running", "awaiting_review", "decided", "cancelled");

  public AbTestsRequest {
    if (status != null && !STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be one of " + STATUSES);
    }
    if (limit < 1 || limit > ListRequest.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be an integer from 1 to " + ListRequest.MAX_LIMIT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("status", status).put("limit", limit);
  }

  public static AbTestsRequest fromJson(JsonObject json) {
    return new AbTestsRequest(RequestFields.optionalString(json, "status"), ListRequest.fromJson(json).limit());
  }
}
