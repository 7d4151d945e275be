package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Where a run is within its current step: {@code step} is {@code queued}, {@code inference} (the incumbent prompt
 * answers the rows), {@code optimisation} (the optimizer model proposes candidates), {@code candidates} (the
 * candidates answer the evaluation rows) or {@code finished}; {@code done} of {@code total} model answers or
 * proposals of that step are in.
 */
public record TextRunProgress(String step, int done, int total) {

  public JsonObject toJson() {
    return new JsonObject().put("step", step).put("done", done).put("total", total);
  }

  public static TextRunProgress fromJson(JsonObject json) {
    return ReplyFields.typed("a run's progress", () -> new TextRunProgress(json.getString("step"),
      json.getInteger("done"), json.getInteger("total")));
  }
}
