package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * One training row the incumbent prompt answered badly, as shown to the optimizer model.
 *
 * @param rowId the row's id in the dataset, or its line number when it has none
 * @param got what the task model answered
 * @param score the row's score under the run's metric, in [0, 1]
 * @param explanation why the answer fell short when the metric says more than the number (a schema violation, a
 *     judge model's reason), or null
 */
public record TextRunFailure(String rowId, String input, String expected, String got, double score,
                             String explanation) {

  /** A failure the metric said nothing more about. */
  public TextRunFailure(String rowId, String input, String expected, String got, double score) {
    this(rowId, input, expected, got, score, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("row_id", rowId).put("input", input).put("expected", expected)
      .put("got", got).put("score", score);
    return explanation == null ? json : json.put("explanation", explanation);
  }

  public static TextRunFailure fromJson(JsonObject json) {
    return ReplyFields.typed("a failure", () -> new TextRunFailure(json.getString("row_id"), json.getString("input"),
      json.getString("expected"), json.getString("got"), json.getDouble("score"), json.getString("explanation")));
  }
}
