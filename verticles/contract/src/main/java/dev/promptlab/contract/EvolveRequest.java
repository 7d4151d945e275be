package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** An admin asks for an evolution now ({@link Addresses#EVOLUTION_EVOLVE}). */
public record EvolveRequest(String requestedBy) {

  public JsonObject toJson() {
    return new JsonObject().put("requested_by", requestedBy);
  }

  /** Reads and checks a request; {@code requested_by} is at most 320 characters, {@code admin} when absent. */
  public static EvolveRequest fromJson(JsonObject json) {
    return new EvolveRequest(Requester.read(json));
  }
}
