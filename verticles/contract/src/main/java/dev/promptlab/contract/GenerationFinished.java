package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Published after every generation attempt. {@code outcome} is {@code success} or {@code failure};
 * {@code errorKind} is a small fixed vocabulary ({@code timeout}, {@code rate_limited},
 * {@code auth}, {@code server_error}, {@code bad_response}, {@code circuit_open}, {@code other}),
 * null on success. Low cardinality by design: it becomes metric tags.
 */
public record GenerationFinished(String provider, String mode, String outcome, String errorKind, long durationMs) {

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  public JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("mode", mode).put("outcome", outcome)
      .put("error_kind", errorKind).put("duration_ms", durationMs);
  }

  public static GenerationFinished fromJson(JsonObject json) {
    return new GenerationFinished(json.getString("provider"), json.getString("mode"), json.getString("outcome"),
      json.getString("error_kind"), json.getLong("duration_ms", 0L));
  }
}
