package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A stored dataset: its row counts (accepted rows, split into training and evaluation rows), how many rows of the
 * file were refused, and the split's ratio and seed, from which the split is drawn again identically.
 *
 * @param format {@code jsonl} or {@code csv}
 * @param rejectedCount rows of the file refused (the report lists them, up to its limit)
 */
public record DatasetSummary(long id, String name, String format, int rows, int trainRows, int evalRows,
                             int rejectedCount, double evalRatio, long splitSeed, String uploadedBy,
                             String createdAt) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("format", format).put("rows", rows)
      .put("train_rows", trainRows).put("eval_rows", evalRows).put("rejected_count", rejectedCount)
      .put("eval_ratio", evalRatio).put("split_seed", splitSeed).put("uploaded_by", uploadedBy)
      .put("created_at", createdAt);
  }

  public static DatasetSummary fromJson(JsonObject json) {
    return ReplyFields.typed("a dataset", () -> new DatasetSummary(json.getLong("id"), json.getString("name"),
      json.getString("format"), json.getInteger("rows"), json.getInteger("train_rows"), json.getInteger("eval_rows"),
      json.getInteger("rejected_count"), json.getDouble("eval_ratio"), json.getLong("split_seed"),
      json.getString("uploaded_by"), json.getString("created_at")));
  }
}
