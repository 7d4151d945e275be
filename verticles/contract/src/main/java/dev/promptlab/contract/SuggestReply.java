package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The optimizer's answer. {@code strategy} says where the points came from ({@code initial-design}, the model with
 * its acquisition — {@code gp-ucb} or {@code gp-ei} — or {@code random-fallback}); {@code fallbackReason} is set only
 * for the fallback.
 */
public record SuggestReply(List<GenerationParameters> suggestions, String strategy, String fallbackReason) {

  public static final String INITIAL_DESIGN = "initial-design";
  public static final String GP_UCB = "gp-ucb";
  public static final String GP_EI = "gp-ei";
  public static final String RANDOM_FALLBACK = "random-fallback";

  public SuggestReply {
    suggestions = List.copyOf(suggestions);
  }

  public boolean fallback() {
    return RANDOM_FALLBACK.equals(strategy);
  }

  public JsonObject toJson() {
    JsonArray points = new JsonArray();
    suggestions.forEach(p -> points.add(p.toJson()));
    return new JsonObject().put("suggestions", points).put("strategy", strategy).put("fallback_reason", fallbackReason);
  }

  public static SuggestReply fromJson(JsonObject json) {
    List<GenerationParameters> points = json.getJsonArray("suggestions").stream()
      .map(o -> GenerationParameters.fromJson((JsonObject) o)).toList();
    return new SuggestReply(points, json.getString("strategy"), json.getString("fallback_reason"));
  }
}
