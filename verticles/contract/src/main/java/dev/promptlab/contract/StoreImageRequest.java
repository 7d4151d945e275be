package dev.promptlab.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An uploaded original to validate (format decided by content, byte and pixel limits) and store.
 * The bytes travel in the {@code data} field as a {@link Buffer}.
 */
public record StoreImageRequest(Buffer data, String filename, String projectId, String siteVisitId) {

  public JsonObject toJson() {
    return new JsonObject().put("data", data).put("filename", filename)
      .put("project_id", projectId).put("site_visit_id", siteVisitId);
  }

  public static StoreImageRequest fromJson(JsonObject json) {
    Buffer data = json.getBuffer("data");
    if (data == null) {
      throw new IllegalArgumentException("data is missing");
    }
    return new StoreImageRequest(data, json.getString("filename"), json.getString("project_id"),
      json.getString("site_visit_id"));
  }
}
