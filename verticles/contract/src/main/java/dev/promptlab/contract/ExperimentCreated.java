package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Published when an experiment was stored: its mode, how many options succeeded, the optimizer strategy. */
public record ExperimentCreated(String experimentId, String mode, int optionsGenerated, int optionsFailed,
                                String strategy) {

  public JsonObject toJson() {
    return new JsonObject().put("experiment_id", experimentId).put("mode", mode)
      .put("options_generated", optionsGenerated).put("options_failed", optionsFailed).put("strategy", strategy);
  }

  public static ExperimentCreated fromJson(JsonObject json) {
    return new ExperimentCreated(json.getString("experiment_id"), json.getString("mode"),
      json.getInteger("options_generated", 0), json.getInteger("options_failed", 0), json.getString("strategy"));
  }
}
