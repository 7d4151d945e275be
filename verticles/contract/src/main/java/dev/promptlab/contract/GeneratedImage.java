package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** A rendered variant: the stored image and which provider made it, in how long. */
public record GeneratedImage(StoredImage image, String provider, long durationMs) {

  public JsonObject toJson() {
    return new JsonObject().put("image", image.toJson()).put("provider", provider).put("duration_ms", durationMs);
  }

  public static GeneratedImage fromJson(JsonObject json) {
    return new GeneratedImage(StoredImage.fromJson(json.getJsonObject("image")), json.getString("provider"),
      json.getLong("duration_ms", 0L));
  }
}
