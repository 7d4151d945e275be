package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One round of a run: the incumbent prompt version it started from and its scores on the evaluation rows, what the
 * round's model calls cost, the candidates proposed, and the failures (training rows) that drove the rewrite.
 *
 * @param metrics metric name to value on the evaluation rows
 */
public record TextRunIteration(int n, int promptVersion, JsonObject metrics, double costUsd, long tokens,
                               List<TextRunCandidate> candidates, List<TextRunFailure> failures) {

  public TextRunIteration {
    candidates = List.copyOf(candidates);
    failures = List.copyOf(failures);
  }

  public JsonObject toJson() {
    return new JsonObject().put("n", n).put("prompt_version", promptVersion).put("metrics", metrics)
      .put("cost_usd", costUsd).put("tokens", tokens)
      .put("candidates", ReplyFields.array(candidates, TextRunCandidate::toJson))
      .put("failures", ReplyFields.array(failures, TextRunFailure::toJson));
  }

  public static TextRunIteration fromJson(JsonObject json) {
    return ReplyFields.typed("an iteration", () -> new TextRunIteration(json.getInteger("n"),
      json.getInteger("prompt_version"), json.getJsonObject("metrics"), json.getDouble("cost_usd"),
      json.getLong("tokens"), ReplyFields.list(json, "candidates", TextRunCandidate::fromJson),
      ReplyFields.list(json, "failures", TextRunFailure::fromJson)));
  }
}
