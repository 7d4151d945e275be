package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Recent evolutions, newest first ({@link Addresses#EVOLUTION_HISTORY}). */
public record EvolutionRuns(List<EvolutionRun> evolutions) {

  public EvolutionRuns {
    evolutions = List.copyOf(evolutions);
  }

  public JsonObject toJson() {
    return new JsonObject().put("evolutions", ReplyFields.array(evolutions, EvolutionRun::toJson));
  }

  public static EvolutionRuns fromJson(JsonObject json) {
    return new EvolutionRuns(ReplyFields.list(json, "evolutions", EvolutionRun::fromJson));
  }
}
