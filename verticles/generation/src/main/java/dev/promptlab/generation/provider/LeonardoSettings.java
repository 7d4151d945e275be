package dev.promptlab.generation.provider;

import io.vertx.core.json.JsonObject;

/**
 * The {@code generation.leonardo} config section.
 *
 * @param baseUrl         REST v1 root, e.g. {@code https://cloud.leonardo.ai/api/rest/v1}
 * @param apiKey          {@code api_key} (put there by the launcher from {@code LEONARDO_API_KEY}) or the variable itself
 * @param modelId         the model to render with
 * @param preprocessorId  the ControlNet preprocessor of the structure guidance (Leonardo's "Edge to Image" for SDXL is 19)
 * @param maxEdge         longer side of the init image sent (Leonardo renders at most 1024 per side)
 * @param extra           further request fields sent as they are (e.g. {@code {"alchemy": true}})
 */
public record LeonardoSettings(String baseUrl, Secret apiKey, String modelId, int preprocessorId, int maxEdge,
                               JsonObject extra, ResilienceSettings resilience) {

  public static final String DEFAULT_BASE_URL = "https://cloud.leonardo.ai/api/rest/v1";
  /** Leonardo Kino XL, the model of Leonardo's own image-guidance examples. */
  public static final String DEFAULT_MODEL_ID = "aa77f04e-3eec-4034-9c07-d0f619684628";

  public static LeonardoSettings from(JsonObject section) {
    String baseUrl = trimSlash(section.getString("base_url", DEFAULT_BASE_URL));
    requireHttpUrl("generation.leonardo.base_url", baseUrl);
    int maxEdge = section.getInteger("max_edge", 1024);
    if (maxEdge < 64 || maxEdge > 4096) {
      throw new IllegalArgumentException("generation.leonardo.max_edge must be within 64..4096");
    }
    return new LeonardoSettings(baseUrl,
      Secret.required(section.getString("api_key"), "LEONARDO_API_KEY"),
      section.getString("model_id", DEFAULT_MODEL_ID),
      section.getInteger("preprocessor_id", 19),
      maxEdge,
      section.getJsonObject("extra", new JsonObject()).copy(),
      ResilienceSettings.from("leonardo", section));
  }

  static String trimSlash(String url) {
    String value = url == null ? "" : url.trim();
    while (value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    return value;
  }

  static void requireHttpUrl(String key, String url) {
    if (!(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException(key + " must be an http(s) URL, got " + url);
    }
  }
}
