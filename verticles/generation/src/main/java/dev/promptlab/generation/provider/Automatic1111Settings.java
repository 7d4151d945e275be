package dev.promptlab.generation.provider;

import io.vertx.core.json.JsonObject;

/**
 * The {@code generation.automatic1111} config section (a self-hosted Stable Diffusion web UI started with
 * {@code --api}).
 *
 * @param baseUrl            web UI root, e.g. {@code http://127.0.0.1:7860}
 * @param apiAuth            {@code user:password} of {@code --api-auth}, from {@code AUTOMATIC1111_API_AUTH}; null when open
 * @param steps              sampling steps
 * @param controlnetModel    the ControlNet model name as the web UI lists it; null sends no ControlNet unit
 *                           (control weight then has no effect)
 * @param controlnetModule   its preprocessor (default {@code canny})
 * @param extra              further request fields sent as they are (e.g. {@code {"sampler_name": "DPM++ 2M"}})
 */
public record Automatic1111Settings(String baseUrl, Secret apiAuth, int steps, String controlnetModel,
                                   String controlnetModule, int maxEdge, JsonObject extra,
                                   ResilienceSettings resilience) {

  public static Automatic1111Settings from(JsonObject section) {
    String baseUrl = LeonardoSettings.trimSlash(section.getString("base_url", "http://127.0.0.1:7860"));
    LeonardoSettings.requireHttpUrl("generation.automatic1111.base_url", baseUrl);
    // Put in the slice by the launcher from AUTOMATIC1111_API_AUTH; a configuration file cannot hold it.
    String auth = section.getString("api_auth");
    Secret apiAuth = null;
    if (auth != null && !auth.isBlank()) {
      if (!auth.contains(":")) {
        throw new IllegalArgumentException("AUTOMATIC1111_API_AUTH must look like user:password");
      }
      apiAuth = Secret.required(auth, "AUTOMATIC1111_API_AUTH");
    }
    JsonObject controlnet = section.getJsonObject("controlnet", new JsonObject());
    String model = controlnet.getString("model");
    int steps = section.getInteger("steps", 30);
    if (steps < 1 || steps > 150) {
      throw new IllegalArgumentException("generation.automatic1111.steps must be within 1..150");
    }
    return new Automatic1111Settings(baseUrl, apiAuth, steps, model == null || model.isBlank() ? null : model,
      controlnet.getString("module", "canny"), section.getInteger("max_edge", 1024),
      section.getJsonObject("extra", new JsonObject()).copy(), ResilienceSettings.from("automatic1111", section));
  }
}
