package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * What a production enhancement of {@code mode} uses: the current prompt version and the generation parameters it
 * holds for the mode and API — {@code learned} from the mode's study (with its provenance) once one was written
 * into the version, otherwise the version's own defaults for the API ({@code learned} null).
 */
public record ProductionParameters(String mode, String promptVersion, GenerationParameters parameters,
                                   LearnedParameters learned) {

  /** {@code learned} or {@code prompt_defaults}. */
  public String source() {
    return learned == null ? "prompt_defaults" : "learned";
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode).put("prompt_version", promptVersion)
      .put("parameters", parameters.toJson()).put("learned", learned == null ? null : learned.toJson());
  }

  public static ProductionParameters fromJson(JsonObject json) {
    JsonObject learned = json.getJsonObject("learned");
    return new ProductionParameters(json.getString("mode"), json.getString("prompt_version"),
      GenerationParameters.fromJson(json.getJsonObject("parameters")),
      learned == null ? null : LearnedParameters.fromJson(learned));
  }
}
