package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Two prompt versions to compare ({@link Addresses#EVOLUTION_DIFF}). */
public record DiffRequest(String from, String to) {

  public JsonObject toJson() {
    return new JsonObject().put("from", from).put("to", to);
  }

  /** Reads a request; the evolution verticle checks the names' form. */
  public static DiffRequest fromJson(JsonObject json) {
    return new DiffRequest(RequestFields.requiredString(json, "from"), RequestFields.requiredString(json, "to"));
  }
}
