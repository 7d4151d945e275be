package dev.promptlab.evolution.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First-start seeding of a prompt store: complete or absent, never over existing files. */
class PromptStoreSeederTest {

  private static final PromptSeed SEED = PromptSeed.packaged();
  private static final Supplier<PromptSeed> NOT_READ = () -> {
    throw new AssertionError("the seed must not be read for a store that holds versions");
  };

  @TempDir
  Path temp;

  @Test
  void anAbsentStoreIsCreatedWithTheWholeSeed() throws IOException {
    Path store = temp.resolve("data/prompts");
    assertTrue(PromptStoreSeeder.seedIfEmpty(store, () -> SEED));
    assertHoldsTheSeed(store);
    assertEquals("v1.0.0", new PromptVersionStore(store).current().toString());
    assertNoStaging(store);
  }

  @Test
  void anEmptyFolderAndAnEmptyVersionsFolderAreSeeded() throws IOException {
    Path store = Files.createDirectories(temp.resolve("prompts/versions")).getParent();
    assertTrue(PromptStoreSeeder.seedIfEmpty(store, () -> SEED));
    assertHoldsTheSeed(store);
  }

  @Test
  void aStoreWithVersionsIsNeverTouched() throws IOException {
    Path store = temp.resolve("prompts");
    PromptStoreSeeder.seedIfEmpty(store, () -> SEED);
    PromptVersionStore opened = new PromptVersionStore(store);
    PromptVersion base = opened.load("v1.0.0");
    PromptVersion child = new PromptVersion(PromptVersionName.parse("v1.0.1"), Instant.parse("2026-01-01T00:00:00Z"),
      "test", base.version(), base.leonardo().withPrompts(base.leonardo().prompt() + ", volumetric light", "flat"),
      base.stableDiffusion(), Performance.NONE, PromptVersionJson.MAPPER.createObjectNode());
    opened.save(child);
    opened.setCurrent(child.version());
    Files.writeString(store.resolve("evolution-system-prompt.txt"), "an operator's own meta-prompt");
    Files.delete(store.resolve("schema.json"));
    Map<String, byte[]> before = snapshot(store);

    assertFalse(PromptStoreSeeder.seedIfEmpty(store, NOT_READ));
    assertEquals(keys(before), keys(snapshot(store)), "nothing added, not even the missing schema");
    Map<String, byte[]> after = snapshot(store);
    before.forEach((path, content) -> assertArrayEquals(content, after.get(path), path));
  }

  @Test
  void aSeedHalfCopiedBeforeACrashIsCompletedAndKeepsWhatIsThere() throws IOException {
    Path store = Files.createDirectories(temp.resolve("prompts"));
    // What a crash in the middle of the first start leaves: a staging folder, one top-level file, an empty
    // versions folder with a temporary file in it.
    Path staging = Files.createDirectories(store.resolve(".seed-1234/versions"));
    Files.write(staging.resolve("v1.0.0.json"), SEED.files().get("versions/v1.0.0.json"));
    byte[] ownSchema = (new String(SEED.files().get("schema.json"), StandardCharsets.UTF_8) + "\n\n")
      .getBytes(StandardCharsets.UTF_8);
    Files.write(store.resolve("schema.json"), ownSchema);
    Files.writeString(Files.createDirectories(store.resolve("versions")).resolve(".v1.0.0.json.99.tmp"), "{\"ha");

    assertTrue(PromptStoreSeeder.seedIfEmpty(store, () -> SEED));
    assertArrayEquals(ownSchema, Files.readAllBytes(store.resolve("schema.json")), "an existing file is kept");
    assertArrayEquals(SEED.files().get("evolution-system-prompt.txt"),
      Files.readAllBytes(store.resolve("evolution-system-prompt.txt")));
    assertArrayEquals(SEED.files().get("versions/v1.0.0.json"),
      Files.readAllBytes(store.resolve("versions/v1.0.0.json")));
    assertArrayEquals(SEED.files().get("versions/current.json"),
      Files.readAllBytes(store.resolve("versions/current.json")));
    assertEquals(List.of("current.json", "v1.0.0.json"), names(store.resolve("versions")));
    assertNoStaging(store);
    assertEquals("v1.0.0", new PromptVersionStore(store).current().toString());
  }

  @Test
  void aStagingFolderLeftAfterTheCommitIsRemovedWithoutSeedingAgain() throws IOException {
    Path store = temp.resolve("prompts");
    PromptStoreSeeder.seedIfEmpty(store, () -> SEED);
    Files.writeString(Files.createDirectories(store.resolve(".seed-777/versions")).resolve("v1.0.0.json"), "{}");
    assertFalse(PromptStoreSeeder.seedIfEmpty(store, NOT_READ));
    assertNoStaging(store);
  }

  @Test
  void aVersionsFolderWithForeignFilesIsRefusedAndLeftAlone() throws IOException {
    Path versions = Files.createDirectories(temp.resolve("prompts/versions"));
    Files.writeString(versions.resolve("current.json"), "{\"version\": \"v2.0.0\"}");
    Files.writeString(versions.resolve("notes.txt"), "mine");
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptStoreSeeder.seedIfEmpty(versions.getParent(), () -> SEED));
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT, e.reason());
    assertTrue(e.getMessage().contains("holds no prompt version but [current.json, notes.txt]"), e.getMessage());
    assertEquals(List.of("current.json", "notes.txt"), names(versions));
    assertEquals(List.of("versions"), names(versions.getParent()), "no seed file was added");
  }

  @Test
  void aVersionsPathThatIsAFileIsRefused() throws IOException {
    Path store = Files.createDirectories(temp.resolve("prompts"));
    Files.writeString(store.resolve("versions"), "not a folder");
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptStoreSeeder.seedIfEmpty(store, () -> SEED));
    assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
  }

  @Test
  void aSeedWhoseCurrentVersionIsMissingCommitsNothing() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>(SEED.files());
    files.put("versions/current.json", "{\"version\": \"v2.0.0\"}".getBytes(StandardCharsets.UTF_8));
    assertRefusedWithNothingCommitted(new PromptSeed(files), "points at v2.0.0, which does not exist");
  }

  @Test
  void aSeedWithAnInvalidVersionCommitsNothing() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>(SEED.files());
    files.put("versions/v1.0.0.json", new String(files.get("versions/v1.0.0.json"), StandardCharsets.UTF_8)
      .replace("\"guidance_scale\": 7.0", "\"guidance_scale\": 99").getBytes(StandardCharsets.UTF_8));
    assertRefusedWithNothingCommitted(new PromptSeed(files), "guidance_scale");
  }

  @Test
  void aSeedWithoutAnyVersionCommitsNothing() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>(SEED.files());
    files.remove("versions/v1.0.0.json");
    files.remove("versions/current.json");
    assertRefusedWithNothingCommitted(new PromptSeed(files), "holds no version");
  }

  private void assertRefusedWithNothingCommitted(PromptSeed seed, String reason) throws IOException {
    Path store = temp.resolve("prompts");
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> PromptStoreSeeder.seedIfEmpty(store,
      () -> seed));
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT, e.reason());
    assertTrue(e.getMessage().startsWith("the prompt seed is not a valid prompt store"), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertEquals(List.of(), names(store), "no staging folder, no top-level file, no versions folder");
  }

  private static void assertHoldsTheSeed(Path store) throws IOException {
    for (Map.Entry<String, byte[]> file : SEED.files().entrySet()) {
      assertArrayEquals(file.getValue(), Files.readAllBytes(store.resolve(file.getKey())), file.getKey());
    }
  }

  private static void assertNoStaging(Path store) throws IOException {
    assertTrue(names(store).stream().noneMatch(n -> n.startsWith(".")), names(store).toString());
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Map<String, byte[]> snapshot(Path store) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> paths = Files.walk(store)) {
      for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
        files.put(store.relativize(path).toString(), Files.readAllBytes(path));
      }
    }
    return files;
  }

  private static List<String> keys(Map<String, byte[]> files) {
    return List.copyOf(files.keySet());
  }
}
