package dev.promptlab.evolution.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged seed and the rules of a seed index (test seeds live under src/test/resources/seeds). */
class PromptSeedTest {

  private static final ClassLoader LOADER = PromptSeedTest.class.getClassLoader();

  @Test
  void thePackagedSeedIsACompleteStore() throws Exception {
    PromptSeed seed = PromptSeed.packaged();
    assertTrue(seed.files().keySet().containsAll(List.of("schema.json", "evolution-system-prompt.txt",
      "versions/current.json")), seed.files().keySet().toString());
    String version = PromptVersionJson.MAPPER.readTree(seed.files().get("versions/current.json")).path("version")
      .asText();
    assertTrue(seed.files().containsKey("versions/" + version + ".json"), "the current version is in the seed");
  }

  @Test
  void commentsBlankLinesAndCarriageReturnsAreSkipped() {
    assertEquals(List.of("schema.json", "versions/v1.2.3.json", "versions/current.json"),
      PromptSeed.listedPaths("# seed\r\n\r\nschema.json\r\n  versions/v1.2.3.json  \nversions/current.json\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../conf/promptlab.yaml", "/etc/passwd", "README.md", "versions/../../x.json",
    "versions/v01.0.0.json", "versions/v1.0.0.json.tmp", "versions/sub/v1.0.0.json", "./schema.json"})
  void aPathOutsideTheStoreLayoutIsRefused(String path) {
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> PromptSeed.listedPaths(path + "\n"));
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT, e.reason());
    assertTrue(e.getMessage().contains("is not a file of a prompt store"), e.getMessage());
  }

  @Test
  void aListedFileMissingFromTheClassPathIsNamed() {
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptSeed.fromClasspath(LOADER, "seeds/missing-file"));
    assertEquals(PromptStoreException.Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("seeds/missing-file/schema.json"), e.getMessage());
  }

  @Test
  void aMissingIndexIsNamed() {
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptSeed.fromClasspath(LOADER, "seeds/nowhere"));
    assertEquals(PromptStoreException.Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("seeds/nowhere/seed-index.txt"), e.getMessage());
  }

  @Test
  void anIndexThatListsNothingIsRefused() {
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptSeed.fromClasspath(LOADER, "seeds/comments-only"));
    assertTrue(e.getMessage().contains("lists no file"), e.getMessage());
  }

  @Test
  void aFileListedTwiceIsRefused() {
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptSeed.fromClasspath(LOADER, "seeds/twice"));
    assertTrue(e.getMessage().contains("lists schema.json twice"), e.getMessage());
  }
}
