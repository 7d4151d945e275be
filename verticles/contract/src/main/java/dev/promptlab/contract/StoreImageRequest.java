package dev.promptlab.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An uploaded original to validate (format decided by content, byte and pixel limits) and store. The bytes travel
 * in the {@code data} field as a {@link Buffer} (or as base64 text, which is what a buffer becomes on a wire);
 * the references are optional, at most {@value #MAX_REFERENCE_LENGTH} characters, and a longer file name is cut.
 */
public record StoreImageRequest(Buffer data, String filename, String projectId, String siteVisitId) {

  public static final int MAX_REFERENCE_LENGTH = 200;
  public static final int MAX_FILENAME_LENGTH = 255;

  public JsonObject toJson() {
    return new JsonObject().put("data", data).put("filename", filename)
      .put("project_id", projectId).put("site_visit_id", siteVisitId);
  }

  /**
   * Reads and checks a request; throws {@link IllegalArgumentException} naming the field that is wrong. Decoding
   * base64 text takes time in proportion to the upload, so a handler calls this off the event loop.
   */
  public static StoreImageRequest fromJson(JsonObject json) {
    String filename = RequestFields.boundedString(json, "filename", Integer.MAX_VALUE);
    if (filename != null && filename.length() > MAX_FILENAME_LENGTH) {
      filename = filename.substring(0, MAX_FILENAME_LENGTH);
    }
    return new StoreImageRequest(RequestFields.requiredBytes(json, "data", "the image bytes"), filename,
      RequestFields.boundedString(json, "project_id", MAX_REFERENCE_LENGTH),
      RequestFields.boundedString(json, "site_visit_id", MAX_REFERENCE_LENGTH));
  }
}
