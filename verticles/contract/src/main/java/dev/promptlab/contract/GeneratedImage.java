package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A rendered variant: the stored image, which provider made it, in how long, and the parameters it was rendered
 * with. Those are the requested ones at the precision the provider accepts (Leonardo takes a whole guidance
 * scale, say), so they may differ from the request's; they are what the variant is recorded and learned with.
 * {@code parameters} is null in a reply that does not carry them.
 */
public record GeneratedImage(StoredImage image, String provider, long durationMs, GenerationParameters parameters) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("image", image.toJson()).put("provider", provider)
      .put("duration_ms", durationMs);
    if (parameters != null) {
      json.put("parameters", parameters.toJson());
    }
    return json;
  }

  /**
   * The parameters to record for this variant: the ones it was rendered with when the reply carries them (for
   * the requested api), else {@code requested}.
   */
  public GenerationParameters renderedWith(GenerationParameters requested) {
    return parameters != null && parameters.api().equals(requested.api()) ? parameters : requested;
  }

  public static GeneratedImage fromJson(JsonObject json) {
    JsonObject parameters = json.getJsonObject("parameters");
    return new GeneratedImage(StoredImage.fromJson(json.getJsonObject("image")), json.getString("provider"),
      json.getLong("duration_ms", 0L), parameters == null ? null : GenerationParameters.fromJson(parameters));
  }
}
