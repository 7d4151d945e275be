package dev.promptlab.textopt;

import dev.promptlab.textopt.dataset.DatasetLimits;
import io.vertx.core.json.JsonObject;

/**
 * The textopt verticle's config slice, validated. Only {@code db} is required; the module README lists every key.
 *
 * @param evalRatio the share of a dataset's rows held out for evaluation when an upload does not say
 * @param parseThreads worker threads that read uploaded files (a file of the maximum size takes about a second)
 */
record TextoptSettings(JsonObject db, int poolSize, DatasetLimits limits, double evalRatio, int parseThreads) {

  static TextoptSettings from(JsonObject json) {
    JsonObject db = json.getJsonObject("db");
    if (db == null) {
      throw new IllegalArgumentException("textopt config needs a \"db\" object (PgConnectOptions JSON)");
    }
    Object ratio = json.getValue("eval_ratio", 0.2);
    if (!(ratio instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() < 1)) {
      throw new IllegalArgumentException("textopt config: eval_ratio must be a number between 0 and 1 (both excluded)");
    }
    int maxRows = positive(json, "max_dataset_rows", 50_000);
    if (maxRows < 2) {
      throw new IllegalArgumentException("textopt config: max_dataset_rows must be at least 2 (a row to train on and"
        + " one to evaluate)");
    }
    return new TextoptSettings(db,
      // Its own small pool, not the shared database.pool_size: a handful of short statements at a time.
      positive(json, "pool_size", 2),
      new DatasetLimits(positive(json, "max_dataset_bytes", 10 * 1024 * 1024), maxRows,
        positive(json, "max_field_chars", 100_000)),
      n.doubleValue(),
      positive(json, "parse_threads", 1));
  }

  private static int positive(JsonObject json, String key, int fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1) {
      throw new IllegalArgumentException("textopt config: " + key + " must be a whole number above 0");
    }
    return n.intValue();
  }
}
