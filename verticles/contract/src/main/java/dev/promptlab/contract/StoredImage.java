package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** A stored image row: its id, the URL a browser fetches it from, its format and size. */
public record StoredImage(long imageId, String url, String contentType, int width, int height) {

  public JsonObject toJson() {
    return new JsonObject().put("image_id", imageId).put("url", url).put("content_type", contentType)
      .put("width", width).put("height", height);
  }

  public static StoredImage fromJson(JsonObject json) {
    return new StoredImage(json.getLong("image_id"), json.getString("url"), json.getString("content_type"),
      json.getInteger("width", 0), json.getInteger("height", 0));
  }
}
