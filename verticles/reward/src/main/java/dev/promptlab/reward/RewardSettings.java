package dev.promptlab.reward;

import dev.promptlab.reward.model.ActivationRule;
import io.vertx.core.json.JsonObject;

/**
 * The reward verticle's config slice, validated. Only {@code db} is required; the module README lists every key.
 *
 * @param retrainEvery new rated variants (with features) after which a model is trained again
 * @param extractThreads worker threads for decoding and feature extraction (and training)
 * @param onnxModel path of an ONNX image encoder whose embedding joins the features; null: none
 * @param imageReadTimeoutMs how long to wait for the generation verticle to hand over an image's bytes
 * @param backfillBatch rated variants read per backfill step
 */
record RewardSettings(JsonObject db, int poolSize, int retrainEvery, int extractThreads, String onnxModel,
                      int onnxThreads, ActivationRule activation, long imageReadTimeoutMs, int backfillBatch) {

  static RewardSettings from(JsonObject json) {
    JsonObject db = json.getJsonObject("db");
    if (db == null) {
      throw new IllegalArgumentException("reward config needs a \"db\" object (PgConnectOptions JSON)");
    }
    ActivationRule d = ActivationRule.DEFAULT;
    ActivationRule activation = new ActivationRule(
      positive(json, "min_held_out", d.minHeldOut()),
      positive(json, "min_pairs", d.minPairs()),
      json.getDouble("mae_margin", d.maeMargin()),
      json.getDouble("pair_margin", d.pairMargin()));
    String onnx = json.getString("onnx_model");
    return new RewardSettings(db,
      // Its own small pool, not the shared database.pool_size: a handful of short statements at a time.
      positive(json, "pool_size", 2),
      positive(json, "retrain_every", 25),
      positive(json, "extract_threads", 1),
      onnx == null || onnx.isBlank() ? null : onnx,
      positive(json, "onnx_threads", 1),
      activation,
      positive(json, "image_read_timeout_ms", 30_000),
      positive(json, "backfill_batch", 20));
  }

  private static int positive(JsonObject json, String key, int fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1) {
      throw new IllegalArgumentException("reward config: " + key + " must be a whole number above 0");
    }
    return n.intValue();
  }
}
