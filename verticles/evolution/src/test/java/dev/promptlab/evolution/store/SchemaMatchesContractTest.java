package dev.promptlab.evolution.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promptlab.contract.ParameterSpace;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The packaged schema.json states the same ranges and name rule as the contract and the store, so the two cannot
 * drift.
 */
class SchemaMatchesContractTest {

  @Test
  void numericRangesAreTheParameterSpace() throws IOException {
    JsonNode defs = schema().path("$defs");
    assertRange(defs.path("strength"), ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX);
    assertRange(defs.path("guidanceScale"), ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX);
    assertRange(defs.path("controlWeight"), ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX);
  }

  @Test
  void versionPatternIsTheStoresPattern() throws IOException {
    JsonNode schema = schema();
    assertEquals(PromptVersionName.PATTERN.pattern(), schema.path("$defs").path("versionName").path("pattern").asText());
    assertEquals(PromptVersionName.PATTERN.pattern(),
      schema.path("properties").path("parent_version").path("pattern").asText());
  }

  private static void assertRange(JsonNode def, double min, double max) {
    assertEquals(min, def.path("minimum").asDouble());
    assertEquals(max, def.path("maximum").asDouble());
  }

  private static JsonNode schema() throws IOException {
    return PromptVersionJson.MAPPER.readTree(PromptSeed.packaged().files().get(PromptVersionStore.SCHEMA_FILE));
  }
}
