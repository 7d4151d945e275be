package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Observations that were already stored durably (in the rating transaction); the optimizer adds
 * them to its in-memory model of {@code study}.
 */
public record ObserveRequest(String study, List<Observation> observations) {

  public ObserveRequest {
    if (!ParameterSpace.isMode(study)) {
      throw new IllegalArgumentException("study must be one of " + ParameterSpace.MODES);
    }
    observations = List.copyOf(observations);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    observations.forEach(o -> list.add(o.toJson()));
    return new JsonObject().put("study", study).put("observations", list);
  }

  public static ObserveRequest fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("observations", new JsonArray());
    return new ObserveRequest(json.getString("study"),
      list.stream().map(o -> Observation.fromJson((JsonObject) o)).toList());
  }
}
