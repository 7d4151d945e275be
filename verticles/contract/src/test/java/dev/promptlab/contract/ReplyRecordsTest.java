package dev.promptlab.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The reply records refuse a malformed answer with a sentence, and give the prompt of each API. */
class ReplyRecordsTest {

  private static final JsonObject DOCUMENT = new JsonObject().put("version", "v1.0.1")
    .put("leonardo", new JsonObject().put("prompt", "a bright room").put("negative_prompt", "blurry"))
    .put("stablediffusion", new JsonObject().put("prompt", "a bright room, photo"));

  @Test
  void aVersionDocumentGivesThePromptOfEachApi() {
    PromptVersionDocument document = PromptVersionDocument.fromJson(DOCUMENT);
    assertEquals(new PromptText("a bright room", "blurry"), document.prompt("leonardo"));
    assertEquals(new PromptText("a bright room, photo", ""), document.prompt("stablediffusion"));
  }

  @Test
  void aVersionWithoutThePromptOfAnApiSaysSo() {
    PromptVersionDocument document = PromptVersionDocument.fromJson(DOCUMENT.copy().put("stablediffusion",
      new JsonObject().put("strength", 0.4)));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
      () -> document.prompt("stablediffusion"));
    assertEquals("the prompt version v1.0.1 has no stablediffusion prompt", refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> document.prompt("local"));
  }

  @Test
  void malformedRepliesAreRefusedWithASentence() {
    assertEquals("every entry of ab_tests must be an object", assertThrows(IllegalArgumentException.class,
      () -> AbTests.fromJson(new JsonObject().put("ab_tests", new JsonArray().add(3)))).getMessage());
    assertEquals("versions must be an array", assertThrows(IllegalArgumentException.class,
      () -> PromptVersions.fromJson(new JsonObject().put("versions", "v1.0.0"))).getMessage());
    assertEquals("a field of the evolution status has the wrong type", assertThrows(IllegalArgumentException.class,
      () -> EvolutionStatus.fromJson(new JsonObject().put("samples_collected", "many"))).getMessage());
    assertEquals("id is missing", assertThrows(IllegalArgumentException.class,
      () -> EvolutionRun.fromJson(new JsonObject().put("status", "running"))).getMessage());
    assertEquals("version is required", assertThrows(IllegalArgumentException.class,
      () -> PromptVersionDocument.fromJson(new JsonObject())).getMessage());
  }
}
