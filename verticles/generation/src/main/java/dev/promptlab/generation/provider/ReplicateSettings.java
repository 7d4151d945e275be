package dev.promptlab.generation.provider;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code generation.replicate} config section.
 *
 * @param baseUrl          API root, e.g. {@code https://api.replicate.com/v1}
 * @param apiToken         {@code api_token} (put there by the launcher from {@code REPLICATE_API_TOKEN}) or the variable itself
 * @param version          a model version id ({@code POST /predictions}); or
 * @param model            {@code owner/name} of an official model ({@code POST /models/{owner}/{name}/predictions})
 * @param inputNames       which model input receives each value (keys {@code image, prompt, negative_prompt,
 *                         strength, guidance_scale, control_weight, seed}); an empty name leaves the value out
 * @param extraInput       further inputs sent as they are (e.g. {@code {"num_inference_steps": 30}})
 * @param waitSeconds      {@code Prefer: wait=n}: how long the create call may block for a fast result (1–60)
 * @param maxEdge          longer side of the image sent
 * @param dataUriMaxBytes  images up to this size travel inline as a data URI; larger ones go through {@code POST /files}
 */
public record ReplicateSettings(String baseUrl, Secret apiToken, String version, String model,
                                Map<String, String> inputNames, JsonObject extraInput, int waitSeconds, int maxEdge,
                                int dataUriMaxBytes, ResilienceSettings resilience) {

  public static final String DEFAULT_BASE_URL = "https://api.replicate.com/v1";
  public static final Map<String, String> DEFAULT_INPUT_NAMES;

  static {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("image", "image");
    names.put("prompt", "prompt");
    names.put("negative_prompt", "negative_prompt");
    names.put("strength", "strength");
    names.put("guidance_scale", "guidance_scale");
    names.put("control_weight", "controlnet_conditioning_scale");
    names.put("seed", "seed");
    DEFAULT_INPUT_NAMES = Map.copyOf(names);
  }

  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]{8,128}");

  public static ReplicateSettings from(JsonObject section) {
    String baseUrl = LeonardoSettings.trimSlash(section.getString("base_url", DEFAULT_BASE_URL));
    LeonardoSettings.requireHttpUrl("generation.replicate.base_url", baseUrl);
    String version = blankToNull(section.getString("version"));
    String model = blankToNull(section.getString("model"));
    if ((version == null) == (model == null)) {
      throw new IllegalArgumentException("generation.replicate needs exactly one of 'version' (a model version id) "
        + "or 'model' (owner/name of an official model)");
    }
    if (version != null && !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("generation.replicate.version is not a version id: " + version);
    }
    if (model != null && !MODEL.matcher(model).matches()) {
      throw new IllegalArgumentException("generation.replicate.model must look like owner/name, got " + model);
    }
    Map<String, String> names = new LinkedHashMap<>(DEFAULT_INPUT_NAMES);
    JsonObject overrides = section.getJsonObject("input_names", new JsonObject());
    for (String key : overrides.fieldNames()) {
      if (!DEFAULT_INPUT_NAMES.containsKey(key)) {
        throw new IllegalArgumentException("generation.replicate.input_names." + key + ": unknown; known: "
          + DEFAULT_INPUT_NAMES.keySet());
      }
      Object value = overrides.getValue(key);
      names.put(key, value == null ? "" : String.valueOf(value).trim());
    }
    if (names.get("image").isEmpty()) {
      throw new IllegalArgumentException("generation.replicate.input_names.image cannot be empty: the model needs the render");
    }
    int wait = section.getInteger("wait_seconds", 60);
    if (wait < 1 || wait > 60) {
      throw new IllegalArgumentException("generation.replicate.wait_seconds must be within 1..60");
    }
    return new ReplicateSettings(baseUrl,
      Secret.required(section.getString("api_token"), "REPLICATE_API_TOKEN"),
      version, model, Map.copyOf(names), section.getJsonObject("extra_input", new JsonObject()).copy(), wait,
      section.getInteger("max_edge", 1024), section.getInteger("data_uri_max_bytes", 1_000_000),
      ResilienceSettings.from("replicate", section));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
