package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every trained reward model, newest first. */
public record RewardModels(List<RewardModelSummary> models) {

  public RewardModels {
    models = List.copyOf(models);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    models.forEach(m -> array.add(m.toJson()));
    return new JsonObject().put("models", array);
  }

  public static RewardModels fromJson(JsonObject json) {
    return new RewardModels(json.getJsonArray("models", new JsonArray()).stream()
      .map(m -> RewardModelSummary.fromJson((JsonObject) m)).toList());
  }
}
