package dev.promptlab.evolution.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromptDiffTest {

  private static PromptVersion version(String name, String parent, String prompt, double guidance) {
    ApiPromptSettings api = new ApiPromptSettings(prompt, "drawn, sketch", 0.25, guidance, 0.92);
    return new PromptVersion(PromptVersionName.parse(name), Instant.EPOCH, "test",
      parent == null ? null : PromptVersionName.parse(parent), api, api, Performance.NONE,
      PromptVersionJson.MAPPER.createObjectNode());
  }

  @Test
  void comparesPhrasesAndSettings() {
    ObjectNode diff = PromptDiff.between(version("v1.0.0", null, "a, B, c", 7.0),
      version("v1.0.1", "v1.0.0", "a,  b , d, e", 7.5));
    assertEquals("parent", diff.path("related").asText());
    JsonNode prompt = diff.path("leonardo").path("prompt");
    assertTrue(prompt.path("changed").asBoolean());
    assertEquals("[\"d\",\"e\"]", prompt.path("added").toString());
    assertEquals("[\"c\"]", prompt.path("removed").toString());
    assertEquals(2, prompt.path("kept").asInt());
    assertFalse(diff.path("leonardo").path("negative_prompt").path("changed").asBoolean());
    assertEquals(7.5, diff.path("stablediffusion").path("settings").path("guidance_scale").path("to").asDouble());
    assertTrue(diff.path("leonardo").path("settings").path("init_strength").isMissingNode());
  }

  @Test
  void namesHowTheVersionsAreRelated() {
    PromptVersion root = version("v1.0.0", null, "a", 7);
    PromptVersion a = version("v1.0.1", "v1.0.0", "b", 7);
    PromptVersion b = version("v1.0.2", "v1.0.0", "c", 7);
    assertEquals("child", PromptDiff.between(a, root).path("related").asText());
    assertEquals("sibling", PromptDiff.between(a, b).path("related").asText());
    assertEquals("other", PromptDiff.between(root, root).path("related").asText());
  }
}
