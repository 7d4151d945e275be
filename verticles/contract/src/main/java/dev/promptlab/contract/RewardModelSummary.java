package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One trained reward model with its held-out figures (null when there was too little data to judge it): mean
 * absolute error and the baseline's (the training mean), the share within half a star, Spearman's rho and the
 * pairwise accuracy over the held-out comparisons rated differently, and the calibration of the held-out
 * predictions (empty when there were none). {@code active}: the one used for predictions; {@code reason} says why
 * it is or is not, in English, and {@code verdict} the same as a code with its figures (null for models stored
 * before verdicts were kept).
 */
public record RewardModelSummary(long version, String trainedAt, boolean active, String reason, int trainingRows,
                                 int heldOutRows, Double mae, Double baselineMae, Double withinHalfStar,
                                 Double spearman, Integer pairs, Double pairwiseAccuracy,
                                 List<CalibrationBin> calibration, ActivationVerdict verdict) {

  public RewardModelSummary {
    calibration = List.copyOf(calibration);
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("trained_at", trainedAt).put("active", active)
      .put("reason", reason).put("training_rows", trainingRows).put("held_out_rows", heldOutRows)
      .put("mae", mae).put("baseline_mae", baselineMae).put("within_half_star", withinHalfStar)
      .put("spearman", spearman).put("pairs", pairs).put("pairwise_accuracy", pairwiseAccuracy)
      .put("calibration", new JsonArray(calibration.stream().map(CalibrationBin::toJson).toList()))
      .put("verdict", verdict == null ? null : verdict.toJson());
  }

  public static RewardModelSummary fromJson(JsonObject json) {
    return new RewardModelSummary(json.getLong("version"), json.getString("trained_at"), json.getBoolean("active"),
      json.getString("reason"), json.getInteger("training_rows"), json.getInteger("held_out_rows"),
      json.getDouble("mae"), json.getDouble("baseline_mae"), json.getDouble("within_half_star"),
      json.getDouble("spearman"), json.getInteger("pairs"), json.getDouble("pairwise_accuracy"),
      json.getJsonArray("calibration", new JsonArray()).stream()
        .map(bin -> CalibrationBin.fromJson((JsonObject) bin)).toList(),
      json.getJsonObject("verdict") == null ? null : ActivationVerdict.fromJson(json.getJsonObject("verdict")));
  }
}
