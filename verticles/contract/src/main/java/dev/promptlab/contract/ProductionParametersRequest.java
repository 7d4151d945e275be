package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The parameters production should render {@code mode} with on {@code api} ({@link Addresses#EVOLUTION_PRODUCTION_PARAMETERS}). */
public record ProductionParametersRequest(String mode, String api) {

  public ProductionParametersRequest {
    if (!ParameterSpace.isMode(mode)) {
      throw new IllegalArgumentException("mode must be one of " + ParameterSpace.MODES);
    }
    if (!ParameterSpace.isApi(api)) {
      throw new IllegalArgumentException("api must be one of " + ParameterSpace.APIS);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode).put("api", api);
  }

  /** Reads and checks a request; throws {@link IllegalArgumentException}. */
  public static ProductionParametersRequest fromJson(JsonObject json) {
    return new ProductionParametersRequest(RequestFields.requiredString(json, "mode"),
      RequestFields.requiredString(json, "api"));
  }
}
