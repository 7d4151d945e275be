package dev.promptlab.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A dataset file to validate row by row, split and store ({@link Addresses#TEXTOPT_DATASET_CREATE}). The bytes travel
 * in {@code data} as a {@link Buffer} (base64 text on a wire); {@code filename} (its extension names the format when
 * {@code format} is absent) and {@code uploaded_by} are optional.
 *
 * @param format {@code jsonl}, {@code csv}, or null to decide by the file name, then by the content
 * @param evalRatio the share of the accepted rows held out for evaluation, in (0, 1); null for the verticle's default
 */
public record DatasetUpload(String name, String filename, String format, Double evalRatio, Buffer data,
                            String uploadedBy) {

  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_FILENAME_LENGTH = 255;
  public static final String JSONL = "jsonl";
  public static final String CSV = "csv";

  public DatasetUpload {
    if (format != null && !JSONL.equals(format) && !CSV.equals(format)) {
      throw new IllegalArgumentException("format must be " + JSONL + " or " + CSV);
    }
    if (evalRatio != null && !(evalRatio > 0 && evalRatio < 1)) {
      throw new IllegalArgumentException("eval_ratio must be a number between 0 and 1 (both excluded)");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("filename", filename).put("format", format)
      .put("eval_ratio", evalRatio).put("data", data).put("uploaded_by", uploadedBy);
  }

  /** Reads and checks a request; decoding base64 text takes time in proportion to the file: call it off the loop. */
  public static DatasetUpload fromJson(JsonObject json) {
    String name = RequestFields.requiredString(json, "name").strip();
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    String filename = RequestFields.boundedString(json, "filename", Integer.MAX_VALUE);
    if (filename != null && filename.length() > MAX_FILENAME_LENGTH) {
      filename = filename.substring(0, MAX_FILENAME_LENGTH);
    }
    Object ratio = json.getValue("eval_ratio");
    if (ratio != null && !(ratio instanceof Number)) {
      throw new IllegalArgumentException("eval_ratio must be a number between 0 and 1 (both excluded)");
    }
    return new DatasetUpload(name, filename, RequestFields.boundedString(json, "format", 10),
      ratio == null ? null : ((Number) ratio).doubleValue(), RequestFields.requiredBytes(json, "data", "the file's bytes"),
      RequestFields.boundedString(json, "uploaded_by", Requester.MAX_LENGTH));
  }
}
