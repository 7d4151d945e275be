package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A prompt version the optimizer model proposed in an iteration.
 *
 * @param metrics its scores on the evaluation rows (metric name to value), null when it was not evaluated
 * @param predictedGain what the candidate ordering predicted it would gain over the incumbent, or null
 * @param evaluated whether it answered the evaluation rows (false when an earlier candidate already won)
 * @param accepted whether it replaced the incumbent
 */
public record TextRunCandidate(int promptVersion, JsonObject metrics, Double predictedGain, boolean evaluated,
                               boolean accepted) {

  public JsonObject toJson() {
    return new JsonObject().put("prompt_version", promptVersion).put("metrics", metrics)
      .put("predicted_gain", predictedGain).put("evaluated", evaluated).put("accepted", accepted);
  }

  public static TextRunCandidate fromJson(JsonObject json) {
    return ReplyFields.typed("a candidate", () -> new TextRunCandidate(json.getInteger("prompt_version"),
      json.getJsonObject("metrics"), json.getDouble("predicted_gain"), json.getBoolean("evaluated"),
      json.getBoolean("accepted")));
  }
}
