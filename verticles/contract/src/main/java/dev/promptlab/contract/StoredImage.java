package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A stored image row: its numeric id (internal: bus requests and foreign keys), its public id (128 random bits,
 * URL-safe base64, the only id a URL may carry), the URL a browser fetches it from, its format and size.
 */
public record StoredImage(long imageId, String publicId, String url, String contentType, int width, int height) {

  public JsonObject toJson() {
    return new JsonObject().put("image_id", imageId).put("public_id", publicId).put("url", url)
      .put("content_type", contentType).put("width", width).put("height", height);
  }

  public static StoredImage fromJson(JsonObject json) {
    return new StoredImage(json.getLong("image_id"), json.getString("public_id"), json.getString("url"),
      json.getString("content_type"), json.getInteger("width", 0), json.getInteger("height", 0));
  }
}
