package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * An admin makes {@code version} current ({@link Addresses#EVOLUTION_PROMOTE}), or with {@link #rollback} restores
 * it ({@link Addresses#EVOLUTION_ROLLBACK}; a null version is the one that was current before the current one).
 * {@code reason} is at most 500 characters, null when not given.
 */
public record PromoteRequest(String version, String requestedBy, String reason) {

  public static final int MAX_REASON_LENGTH = 500;

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("requested_by", requestedBy).put("reason", reason);
  }

  /** Reads and checks a promotion: the version is required. */
  public static PromoteRequest fromJson(JsonObject json) {
    return new PromoteRequest(RequestFields.requiredString(json, "version"), Requester.read(json),
      RequestFields.boundedString(json, "reason", MAX_REASON_LENGTH));
  }

  /** Reads and checks a rollback: the version may be absent. */
  public static PromoteRequest rollback(JsonObject json) {
    return new PromoteRequest(RequestFields.boundedString(json, "version", Integer.MAX_VALUE), Requester.read(json),
      RequestFields.boundedString(json, "reason", MAX_REASON_LENGTH));
  }
}
