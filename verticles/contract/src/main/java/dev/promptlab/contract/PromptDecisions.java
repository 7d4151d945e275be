package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Recorded prompt decisions, newest first ({@link Addresses#EVOLUTION_DECISIONS}). */
public record PromptDecisions(List<PromptDecided> decisions) {

  public PromptDecisions {
    decisions = List.copyOf(decisions);
  }

  public JsonObject toJson() {
    return new JsonObject().put("decisions", ReplyFields.array(decisions, PromptDecided::toJson));
  }

  public static PromptDecisions fromJson(JsonObject json) {
    return new PromptDecisions(ReplyFields.list(json, "decisions", PromptDecided::fromJson));
  }
}
