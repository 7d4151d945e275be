package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One {@link PromptAssignment} per requested sample, in order. Request: {@code {"mode": m, "count": n}}. */
public record AssignReply(List<PromptAssignment> assignments) {

  public AssignReply {
    assignments = List.copyOf(assignments);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    assignments.forEach(a -> list.add(a.toJson()));
    return new JsonObject().put("assignments", list);
  }

  public static AssignReply fromJson(JsonObject json) {
    return new AssignReply(json.getJsonArray("assignments").stream()
      .map(o -> PromptAssignment.fromJson((JsonObject) o)).toList());
  }
}
