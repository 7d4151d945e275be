package dev.promptlab.llm;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What shape the answer must have: free text, any JSON object ({@code json_object}, "JSON mode"), or JSON that a
 * given JSON Schema accepts ({@code json_schema}, "structured outputs").
 */
public final class ResponseFormat {

  /** Free text: no {@code response_format} is sent. */
  public static final ResponseFormat TEXT = new ResponseFormat("text", null, null, false);

  private final String type;
  private final String schemaName;
  private final JsonObject schema;
  private final boolean strict;

  private ResponseFormat(String type, String schemaName, JsonObject schema, boolean strict) {
    this.type = type;
    this.schemaName = schemaName;
    this.schema = schema;
    this.strict = strict;
  }

  /**
   * Any JSON object. OpenAI refuses it unless a message contains the word "JSON"; other servers do not check, but
   * the model still needs to be told what object to write.
   */
  public static ResponseFormat jsonObject() {
    return new ResponseFormat("json_object", null, null, false);
  }

  /**
   * JSON that {@code schema} accepts. {@code name} identifies the schema to the server (letters, digits, {@code _}
   * and {@code -}, at most 64); {@code strict} asks the server to enforce it while decoding where it can.
   */
  public static ResponseFormat jsonSchema(String name, JsonObject schema, boolean strict) {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("a JSON schema's name is 1 to 64 letters, digits, _ or -, got " + name);
    }
    Objects.requireNonNull(schema, "a json_schema response format needs a schema");
    return new ResponseFormat("json_schema", name, schema.copy(), strict);
  }

  /** {@code text}, {@code json_object} or {@code json_schema}. */
  public String type() {
    return type;
  }

  /** The {@code response_format} member of the request, or null for free text. */
  public JsonObject toJson() {
    return switch (type) {
      case "text" -> null;
      case "json_object" -> new JsonObject().put("type", type);
      default -> new JsonObject().put("type", type).put("json_schema", new JsonObject().put("name", schemaName)
        .put("schema", schema.copy()).put("strict", strict));
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResponseFormat f && type.equals(f.type) && Objects.equals(schemaName, f.schemaName)
      && Objects.equals(schema, f.schema) && strict == f.strict;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, schemaName, schema, strict);
  }

  @Override
  public String toString() {
    return type + (schemaName == null ? "" : "(" + schemaName + ")");
  }
}
