package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Names one prompt version, {@code vX.Y.Z} ({@link Addresses#EVOLUTION_VERSION_SHOW}). */
public record VersionRequest(String version) {

  public JsonObject toJson() {
    return new JsonObject().put("version", version);
  }

  /** Reads a request; the evolution verticle checks the name's form. */
  public static VersionRequest fromJson(JsonObject json) {
    return new VersionRequest(RequestFields.requiredString(json, "version"));
  }
}
