package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Read the bytes of one stored image, by its numeric id; answered with a {@code Buffer} and a content type. */
public record ImageReadRequest(long imageId) {

  /** The delivery header that carries the image's content type in the reply. */
  public static final String CONTENT_TYPE_HEADER = "content-type";

  public JsonObject toJson() {
    return new JsonObject().put("image_id", imageId);
  }

  /** Reads and checks a request; throws {@link IllegalArgumentException} when the id is not a positive number. */
  public static ImageReadRequest fromJson(JsonObject json) {
    return new ImageReadRequest(RequestFields.requiredWholeNumber(json, "image_id", 1, Long.MAX_VALUE));
  }
}
