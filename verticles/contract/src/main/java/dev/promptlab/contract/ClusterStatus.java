package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster as one node sees it ({@link Addresses#LAUNCHER_CLUSTER}).
 *
 * @param node       the node that answered
 * @param members    the nodes of the cluster it sees, by name, sorted
 * @param singletons each singleton verticle that runs somewhere, with the node holding it; a singleton held by
 *                   nobody is absent
 * @param expected   the singletons the cluster runs (those of its {@code verticles}), sorted
 */
public record ClusterStatus(String node, List<String> members, Map<String, String> singletons, List<String> expected) {

  public ClusterStatus {
    members = List.copyOf(members);
    singletons = Map.copyOf(singletons);
    expected = List.copyOf(expected);
  }

  /** The expected singletons nobody holds now. */
  public List<String> unheld() {
    return expected.stream().filter(name -> !singletons.containsKey(name)).toList();
  }

  public JsonObject toJson() {
    JsonObject held = new JsonObject();
    singletons.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> held.put(e.getKey(), e.getValue()));
    return new JsonObject().put("node", node).put("members", new JsonArray(members)).put("singletons", held)
      .put("expected", new JsonArray(expected));
  }

  public static ClusterStatus fromJson(JsonObject json) {
    JsonObject held = json.getJsonObject("singletons", new JsonObject());
    Map<String, String> singletons = new LinkedHashMap<>();
    held.fieldNames().forEach(name -> singletons.put(name, held.getString(name)));
    return new ClusterStatus(json.getString("node"), strings(json.getJsonArray("members")), singletons,
      strings(json.getJsonArray("expected")));
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }
}
