package dev.promptlab.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A historical enhancement to store: its original's and its enhanced variant's bytes. File names are kept in the
 * images' metadata (cut to {@value StoreImageRequest#MAX_FILENAME_LENGTH} characters), as is {@code provenance}
 * (which import and row it came from). Each request stores its own original: an experiment names one original of
 * its own, so two rows of the same render are two experiments with two copies of it.
 *
 * <p>A refused image fails the request with its code and a message starting with the image's field name
 * ({@link #ORIGINAL} or {@link #ENHANCED}), built by {@link #refusal} and read back by {@link #refusedImage}.
 */
public record StoreImportedRequest(Buffer original, String originalFilename, Buffer enhanced,
                                   String enhancedFilename, JsonObject provenance) {

  /** The original's field, in manifests and in refusals. */
  public static final String ORIGINAL = "original_image";
  /** The enhanced variant's field, in manifests and in refusals. */
  public static final String ENHANCED = "enhanced_image";
  private static final String SEPARATOR = ": ";

  public StoreImportedRequest {
    if (original == null) {
      throw new IllegalArgumentException(ORIGINAL + " is missing: send the original's bytes");
    }
    if (enhanced == null) {
      throw new IllegalArgumentException(ENHANCED + " is missing: send the enhanced variant's bytes");
    }
    provenance = provenance == null ? new JsonObject() : provenance;
  }

  public JsonObject toJson() {
    return new JsonObject().put("original", original)
      .put("original_filename", originalFilename).put("enhanced", enhanced).put("enhanced_filename", enhancedFilename)
      .put("provenance", provenance);
  }

  /** Reads and checks a request; decodes base64 text, so a handler calls it off the event loop. */
  public static StoreImportedRequest fromJson(JsonObject json) {
    JsonObject provenance = json.getValue("provenance") == null ? null
      : RequestFields.requiredObject(json, "provenance", "the import's references");
    return new StoreImportedRequest(RequestFields.requiredBytes(json, "original", "the original's bytes"),
      filename(json, "original_filename"),
      RequestFields.requiredBytes(json, "enhanced", "the enhanced variant's bytes"),
      filename(json, "enhanced_filename"), provenance);
  }

  /** The failure message of a refused image: its field first, then why. */
  public static String refusal(String field, String reason) {
    return field + SEPARATOR + reason;
  }

  /** The field of the image a failure message refused ({@link #ORIGINAL} or {@link #ENHANCED}), or null. */
  public static String refusedImage(String failureMessage) {
    if (failureMessage != null) {
      for (String field : new String[] {ORIGINAL, ENHANCED}) {
        if (failureMessage.startsWith(field + SEPARATOR)) {
          return field;
        }
      }
    }
    return null;
  }

  private static String filename(JsonObject json, String key) {
    String name = RequestFields.optionalString(json, key);
    return name == null || name.length() <= StoreImageRequest.MAX_FILENAME_LENGTH ? name
      : name.substring(0, StoreImageRequest.MAX_FILENAME_LENGTH);
  }
}
