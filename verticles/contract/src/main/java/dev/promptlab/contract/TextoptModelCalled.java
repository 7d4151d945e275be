package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Event {@link Addresses#EVENT_TEXTOPT_MODEL_CALLED}: a run asked a model once.
 *
 * @param role {@code task}, {@code optimizer} or {@code judge} (the model that scores answers for {@code llm_judge})
 * @param outcome {@code answered}, {@code refused} (an optimizer answer that failed the proposal check, a judge answer
 *     that is not a verdict on the scale) or
 *     {@code failed} (no answer after the client's retries)
 * @param cached the response cache answered: the call cost nothing
 * @param costUsd what the call spent (0 when cached or failed)
 */
public record TextoptModelCalled(String role, String outcome, boolean cached, int promptTokens,
                                 int completionTokens, double costUsd) {

  public static final String TASK = "task";
  public static final String OPTIMIZER = "optimizer";
  public static final String JUDGE = "judge";
  public static final String ANSWERED = "answered";
  public static final String REFUSED = "refused";
  public static final String FAILED = "failed";

  public JsonObject toJson() {
    return new JsonObject().put("role", role).put("outcome", outcome).put("cached", cached)
      .put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens).put("cost_usd", costUsd);
  }

  public static TextoptModelCalled fromJson(JsonObject json) {
    return ReplyFields.typed("a model call", () -> new TextoptModelCalled(json.getString("role"),
      json.getString("outcome"), json.getBoolean("cached"), json.getInteger("prompt_tokens"),
      json.getInteger("completion_tokens"), json.getDouble("cost_usd")));
  }
}
