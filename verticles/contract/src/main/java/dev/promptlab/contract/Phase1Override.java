package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** An admin ends ({@code complete}) or reopens phase 1 of a study ({@link Addresses#OPTIMIZER_PHASE1_OVERRIDE}). */
public record Phase1Override(String study, boolean complete) {

  public Phase1Override {
    if (!ParameterSpace.isMode(study)) {
      throw new IllegalArgumentException("study must be one of " + ParameterSpace.MODES);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("study", study).put("complete", complete);
  }

  /** Reads and checks a request; throws {@link IllegalArgumentException} naming the field that is wrong. */
  public static Phase1Override fromJson(JsonObject json) {
    if (!(json.getValue("complete") instanceof Boolean complete)) {
      throw new IllegalArgumentException("complete must be true or false");
    }
    return new Phase1Override(RequestFields.optionalString(json, "study"), complete);
  }
}
