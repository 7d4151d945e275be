package dev.promptlab.textopt.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * 1 when the prediction is strict JSON ({@link StrictJson}) that a configured JSON Schema accepts, else 0 with the
 * reasons (each naming the field at fault, {@code $.age: integer found, string expected}). The reference is not
 * used.
 *
 * <p>The schema is draft 2020-12 unless it declares another draft, validated by {@code com.networknt:json-schema-validator}
 * with format assertions on ({@code "format": "email"} is checked, not just noted). A schema may refer only to
 * itself ({@code "$ref": "#/$defs/..."}): nothing is ever fetched from the network or read from the class path, so
 * a schema sent through the API cannot make the server open connections or reveal its files.
 */
public final class JsonSchemaMatch implements Metric {

  public static final String NAME = "json_schema";
  /** Enough reasons to act on; a prediction that is wrong everywhere would otherwise drown the sample. */
  private static final int MAX_REASONS = 5;
  private static final String META_SCHEMAS = "classpath:draft/";
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
    .formatAssertionsEnabled(true)
    .pathType(PathType.JSON_PATH)
    .build();
  /** The 2020-12 meta-schema, bundled with the library: a schema is checked against it before it is compiled. */
  private static final JsonSchema META_SCHEMA =
    newFactory().getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V202012.getId()), CONFIG);

  private final JsonSchema schema;

  /**
   * Compiles the schema.
   *
   * @throws IllegalArgumentException if the text is not JSON, not a valid schema, or refers outside itself
   */
  public JsonSchemaMatch(String schemaText) {
    Objects.requireNonNull(schemaText, "schema");
    JsonNode schemaNode;
    try {
      schemaNode = StrictJson.parse(schemaText);
    } catch (StrictJson.NotJson e) {
      throw new IllegalArgumentException("the JSON Schema is " + e.getMessage());
    }
    if (!schemaNode.isObject() && !schemaNode.isBoolean()) {
      throw new IllegalArgumentException("a JSON Schema is an object or a boolean, got " + schemaNode.getNodeType());
    }
    List<String> schemaProblems = problems(META_SCHEMA, schemaNode);
    if (!schemaProblems.isEmpty()) {
      throw new IllegalArgumentException("not a valid JSON Schema: " + String.join("; ", schemaProblems));
    }
    try {
      // A factory of its own: factories cache what they compile, and schemas sent over time must not pile up or
      // collide by "$id" in a shared one.
      this.schema = newFactory().getSchema(schemaNode, CONFIG);
      // References are otherwise resolved on first use, which would turn a bad schema into a failing row.
      this.schema.initializeValidators();
    } catch (RuntimeException e) {
      // The library wraps what a loader throws; the refusal is the message worth showing.
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof ExternalReferenceRefused refused) {
          throw new IllegalArgumentException("the JSON Schema cannot be used: " + refused.getMessage(), e);
        }
      }
      throw new IllegalArgumentException("the JSON Schema cannot be used: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    Objects.requireNonNull(reference, "reference");
    JsonNode document;
    try {
      document = StrictJson.parse(prediction);
    } catch (StrictJson.NotJson e) {
      return Score.zero(e.getMessage());
    }
    List<String> problems = problems(schema, document);
    if (problems.isEmpty()) {
      return Score.of(1.0);
    }
    String shown = String.join("; ", problems.subList(0, Math.min(MAX_REASONS, problems.size())));
    int hidden = problems.size() - MAX_REASONS;
    return Score.zero("does not match the schema: " + shown + (hidden > 0 ? " (and " + hidden + " more)" : ""));
  }

  private static JsonSchemaFactory newFactory() {
    return JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
      .schemaLoaders(loaders -> loaders.add(JsonSchemaMatch::refuseExternal))
      .build();
  }

  /** Sorted, so the same output always gets the same explanation. */
  private static List<String> problems(JsonSchema schema, JsonNode document) {
    Set<ValidationMessage> messages = schema.validate(document);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** Lets the library load its own bundled meta-schemas and nothing else. */
  private static InputStreamSource refuseExternal(AbsoluteIri iri) {
    if (iri.toString().startsWith(META_SCHEMAS)) {
      return null;
    }
    throw new ExternalReferenceRefused(iri);
  }

  /** A schema referred to a document other than itself. */
  private static final class ExternalReferenceRefused extends RuntimeException {

    ExternalReferenceRefused(AbsoluteIri iri) {
      super("it refers to " + iri + "; only references inside the schema (\"#/...\") are allowed", null, false, false);
    }
  }
}
