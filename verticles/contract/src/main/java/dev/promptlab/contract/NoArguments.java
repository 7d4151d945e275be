package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * The request of an address that takes no arguments ({@link Addresses#EVOLUTION_STATUS},
 * {@link Addresses#EVOLUTION_VERSIONS}, {@link Addresses#LAUNCHER_DEPLOYMENTS}, the pings): an empty object.
 */
public record NoArguments() {

  public static final NoArguments INSTANCE = new NoArguments();

  public JsonObject toJson() {
    return new JsonObject();
  }

  /** Any object is accepted: fields a newer sender adds are ignored. */
  public static NoArguments fromJson(JsonObject json) {
    return INSTANCE;
  }
}
