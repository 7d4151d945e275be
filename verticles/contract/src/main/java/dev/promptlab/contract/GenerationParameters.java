package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One point of the parameter space: which API renders the variant and with which settings.
 *
 * <p>The canonical JSON names are {@code api}, {@code strength}, {@code guidance_scale},
 * {@code control_weight}; {@link #toSeedJson()} renders the provider-specific names of the seed API
 * ({@code init_strength}/{@code controlnet_weight} for Leonardo, {@code strength}/
 * {@code controlnet_conditioning_scale} for Stable Diffusion).
 */
public record GenerationParameters(String api, double strength, double guidanceScale, double controlWeight) {

  public GenerationParameters {
    if (!ParameterSpace.isApi(api)) {
      throw new IllegalArgumentException("api must be one of " + ParameterSpace.APIS + ", got " + api);
    }
    requireRange("strength", strength, ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX);
    requireRange("guidance_scale", guidanceScale, ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX);
    requireRange("control_weight", controlWeight, ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX);
  }

  private static void requireRange(String name, double value, double min, double max) {
    if (!(value >= min - 1e-9 && value <= max + 1e-9)) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("api", api)
      .put("strength", strength)
      .put("guidance_scale", guidanceScale)
      .put("control_weight", controlWeight);
  }

  /** The seed API's shape: parameter names as the chosen provider calls them, values rounded for display. */
  public JsonObject toSeedJson() {
    JsonObject json = new JsonObject().put("api", api);
    if (ParameterSpace.LEONARDO.equals(api)) {
      return json.put("init_strength", round(strength, 3))
        .put("guidance_scale", round(guidanceScale, 2))
        .put("controlnet_weight", round(controlWeight, 3));
    }
    return json.put("strength", round(strength, 3))
      .put("guidance_scale", round(guidanceScale, 2))
      .put("controlnet_conditioning_scale", round(controlWeight, 3));
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /** Reads the canonical names; throws {@link IllegalArgumentException} on a missing or out-of-range value. */
  public static GenerationParameters fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("parameters are missing");
    }
    return new GenerationParameters(json.getString("api"), number(json, "strength"),
      number(json, "guidance_scale"), number(json, "control_weight"));
  }

  private static double number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(key + " must be a number");
    }
    return n.doubleValue();
  }
}
