package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Starts a text-prompt optimisation run ({@link Addresses#TEXTOPT_RUN_CREATE}): its settings at the top level and
 * {@code requested_by}, who owns the run.
 */
public record TextRunRequest(TextRunSettings settings, String requestedBy) {

  public JsonObject toJson() {
    return settings.toJson().put("requested_by", requestedBy);
  }

  public static TextRunRequest fromJson(JsonObject json) {
    return new TextRunRequest(TextRunSettings.fromJson(json), Requester.read(json));
  }
}
