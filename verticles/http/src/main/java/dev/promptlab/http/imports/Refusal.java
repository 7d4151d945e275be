package dev.promptlab.http.imports;

import io.vertx.core.json.JsonObject;

/**
 * Why one row of a manifest was not imported: its number, the field at fault ({@code row} for the row as a whole)
 * and a code of the API's error vocabulary ({@code invalid_request}, {@code not_found}, {@code conflict},
 * {@code unsupported_media}, {@code too_large}, …) with an English sentence.
 */
public record Refusal(int row, String field, String error, String message) {

  public static final String WHOLE_ROW = "row";

  public JsonObject toJson() {
    return new JsonObject().put("row", row).put("field", field).put("error", error).put("message", message);
  }

  static Refusal invalid(int row, String field, String message) {
    return new Refusal(row, field, "invalid_request", message);
  }
}
