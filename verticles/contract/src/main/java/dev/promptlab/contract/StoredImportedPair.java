package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** The reply of {@link Addresses#GENERATION_STORE_IMPORTED}: the stored original and its variant. */
public record StoredImportedPair(StoredImage original, StoredImage enhanced) {

  public JsonObject toJson() {
    return new JsonObject().put("original", original.toJson()).put("enhanced", enhanced.toJson());
  }

  public static StoredImportedPair fromJson(JsonObject json) {
    return new StoredImportedPair(StoredImage.fromJson(RequestFields.requiredObject(json, "original", "a stored image")),
      StoredImage.fromJson(RequestFields.requiredObject(json, "enhanced", "a stored image")));
  }
}
