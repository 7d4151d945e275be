package dev.promptlab.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features of one image (the reply to {@link Addresses#REWARD_EXTRACT}): the hand-made ones by name, with the
 * extractor's version, and the learned embedding with its model's name when an encoder is configured (else both
 * null).
 */
public record ImageFeatures(int extractorVersion, Map<String, Double> features, String embeddingModel,
                            List<Double> embedding) {

  public ImageFeatures {
    features = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
    embedding = embedding == null ? null : List.copyOf(embedding);
  }

  public JsonObject toJson() {
    JsonObject named = new JsonObject();
    features.forEach(named::put);
    return new JsonObject().put("extractor_version", extractorVersion).put("features", named)
      .put("embedding_model", embeddingModel).put("embedding", embedding == null ? null : new JsonArray(
        List.copyOf(embedding)));
  }

  public static ImageFeatures fromJson(JsonObject json) {
    Map<String, Double> features = new LinkedHashMap<>();
    json.getJsonObject("features").forEach(e -> features.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    JsonArray embedding = json.getJsonArray("embedding");
    return new ImageFeatures(json.getInteger("extractor_version"), features, json.getString("embedding_model"),
      embedding == null ? null : embedding.stream().map(v -> ((Number) v).doubleValue()).toList());
  }
}
