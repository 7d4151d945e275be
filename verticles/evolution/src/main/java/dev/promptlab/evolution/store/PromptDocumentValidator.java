package dev.promptlab.evolution.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks version documents against {@code prompts/schema.json} (JSON Schema 2020-12, formats asserted) plus
 * the rules a schema cannot say (a version is not its own parent).
 */
public final class PromptDocumentValidator {

  private final JsonSchema schema;

  private PromptDocumentValidator(JsonSchema schema) {
    this.schema = schema;
  }

  /** Reads and compiles the schema file (blocking). */
  public static PromptDocumentValidator fromSchemaFile(Path schemaFile) {
    byte[] content;
    try {
      content = Files.readAllBytes(schemaFile);
    } catch (NoSuchFileException e) {
      throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND, "the schema file " + schemaFile
        + " is missing");
    } catch (IOException e) {
      throw new PromptStoreException(PromptStoreException.Reason.IO_FAILED, "cannot read " + schemaFile, e);
    }
    JsonNode schemaNode = PromptVersionJson.parse(content, schemaFile.toString());
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
      .pathType(PathType.JSON_PATH).build();
    return new PromptDocumentValidator(
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode, config));
  }

  /** Every problem found, each naming the field at fault ({@code $.leonardo.guidance_scale: ...}); empty when valid. */
  public List<String> problems(JsonNode document) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage m : schema.validate(document)) {
      problems.add(m.getMessage());
    }
    if (problems.isEmpty()) {
      String version = document.path("version").asText();
      if (version.equals(document.path("parent_version").asText(null))) {
        problems.add("$.parent_version: a version cannot be its own parent");
      }
    }
    problems.sort(null);
    return problems;
  }

  /** Throws {@link PromptStoreException.Reason#INVALID_DOCUMENT} listing the problems, if any. */
  public void requireValid(JsonNode document, String what) {
    List<String> problems = problems(document);
    if (!problems.isEmpty()) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT,
        what + " is not a valid prompt version: " + String.join("; ", problems));
    }
  }
}
