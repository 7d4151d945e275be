package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * Names one stored thing by its numeric id ({@link Addresses#TEXTOPT_DATASET_SHOW}, the text prompt addresses).
 * {@code requested_by} is who asks, for the record of a change; {@code admin} when absent.
 */
public record RecordId(long id, String requestedBy) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("requested_by", requestedBy);
  }

  public static RecordId fromJson(JsonObject json) {
    return new RecordId(RequestFields.requiredWholeNumber(json, "id", 1, Long.MAX_VALUE), Requester.read(json));
  }
}
