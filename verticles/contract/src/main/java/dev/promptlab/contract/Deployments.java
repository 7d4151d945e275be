package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the launcher has deployed now: deployment id by verticle name ({@link Addresses#LAUNCHER_DEPLOYMENTS}). */
public record Deployments(Map<String, String> verticles) {

  public Deployments {
    verticles = Map.copyOf(verticles);
  }

  public JsonObject toJson() {
    JsonObject ids = new JsonObject();
    verticles.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ids.put(e.getKey(), e.getValue()));
    return new JsonObject().put("verticles", ids);
  }

  public static Deployments fromJson(JsonObject json) {
    JsonObject ids = json.getJsonObject("verticles", new JsonObject());
    Map<String, String> verticles = new LinkedHashMap<>();
    ids.fieldNames().forEach(name -> verticles.put(name, ids.getString(name)));
    return new Deployments(verticles);
  }
}
