package dev.promptlab.evolution.learned;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.LearnedParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.ProductionParameters;
import io.vertx.core.json.JsonObject;

/**
 * The parameters production uses for a mode and API, read from the current version's document: the learned ones
 * when the version holds them, otherwise the version's defaults for the API. Pure logic, no I/O.
 */
public final class ProductionLookup {

  private ProductionLookup() {
  }

  public static ProductionParameters of(String version, JsonObject document, String mode, String api) {
    LearnedParameters learned = LearnedVersion.heldFor(document.getJsonObject("metadata"), mode).get(api);
    if (learned != null) {
      return new ProductionParameters(mode, version, learned.parameters(), learned);
    }
    boolean leonardo = ParameterSpace.LEONARDO.equals(api);
    JsonObject block = document.getJsonObject(leonardo ? "leonardo" : "stablediffusion");
    GenerationParameters defaults = new GenerationParameters(api,
      block.getDouble(leonardo ? "init_strength" : "strength"), block.getDouble("guidance_scale"),
      block.getDouble(leonardo ? "controlnet_weight" : "controlnet_conditioning_scale"));
    return new ProductionParameters(mode, version, defaults, null);
  }
}
