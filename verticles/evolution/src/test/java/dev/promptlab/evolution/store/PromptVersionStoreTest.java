package dev.promptlab.evolution.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.evolution.TestPrompts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromptVersionStoreTest {

  @TempDir
  Path temp;
  private Path root;
  private PromptVersionStore store;

  @BeforeEach
  void openASeededStore() {
    root = TestPrompts.seedInto(temp.resolve("prompts"));
    store = new PromptVersionStore(root);
  }

  @Test
  void theSeededBaselineHoldsTheSeedDefaults() {
    assertEquals("v1.0.0", store.current().toString());
    PromptVersion v1 = store.load("v1.0.0");
    assertEquals("system_init", v1.createdBy());
    assertNull(v1.parentVersion());
    assertEquals(0.25, v1.leonardo().strength());
    assertEquals(7.0, v1.leonardo().guidanceScale());
    assertEquals(0.92, v1.leonardo().controlWeight());
    assertEquals(0.2, v1.stableDiffusion().strength());
    assertEquals(7.5, v1.stableDiffusion().guidanceScale());
    assertEquals(0.95, v1.stableDiffusion().controlWeight());
    assertTrue(v1.leonardo().prompt().startsWith("ultra-realistic, photorealistic interior design render"));
    assertTrue(v1.leonardo().negativePrompt().startsWith("drawn, sketch, illustration, cartoon"));
    assertEquals(Performance.NONE, v1.performance());
    assertTrue(store.systemPrompt().contains("\"improved_prompt\""));
  }

  @Test
  void savesANewVersionThatLoadsBackEqual() {
    PromptVersion child = child("v1.0.1", "v1.0.0");
    store.save(child);
    assertEquals(child, store.load("v1.0.1"));
    assertEquals(List.of("v1.0.0", "v1.0.1"), names(store.list()));
  }

  @Test
  void neverOverwritesAVersion() throws IOException {
    Path file = root.resolve("versions/v1.0.0.json");
    byte[] before = Files.readAllBytes(file);
    PromptVersion replacement = child("v1.0.0", null);
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> store.save(replacement));
    assertEquals(PromptStoreException.Reason.ALREADY_EXISTS, e.reason());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertNoTemporaryFiles();
  }

  @Test
  void writesLeaveNoTemporaryFiles() throws IOException {
    store.save(child("v1.0.1", "v1.0.0"));
    store.setCurrent(PromptVersionName.parse("v1.0.1"));
    store.recordPerformance(PromptVersionName.parse("v1.0.1"), new Performance(3.5, 4, 0.5, Instant.now()));
    assertNoTemporaryFiles();
    assertEquals(Set.of("v1.0.0.json", "v1.0.1.json", "current.json"), fileNames(root.resolve("versions")));
  }

  @Test
  void removesTemporaryFilesACrashLeftBehind() throws IOException {
    Files.writeString(root.resolve("versions/.v1.0.1.json.123.tmp"), "{\"half\": ");
    new PromptVersionStore(root);
    assertNoTemporaryFiles();
    assertEquals(List.of("v1.0.0"), names(store.list()));
  }

  @Test
  void currentPointerIsASmallFileRewrittenAtomically() throws IOException {
    store.save(child("v1.0.1", "v1.0.0"));
    store.setCurrent(PromptVersionName.parse("v1.0.1"));
    assertEquals("v1.0.1", store.current().toString());
    assertEquals("{\n  \"version\": \"v1.0.1\"\n}\n", Files.readString(root.resolve("versions/current.json")));
  }

  @Test
  void refusesToPointCurrentAtAMissingVersion() {
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> store.setCurrent(PromptVersionName.parse("v9.9.9")));
    assertEquals(PromptStoreException.Reason.NOT_FOUND, e.reason());
    assertEquals("v1.0.0", store.current().toString());
  }

  @Test
  void reportsABrokenOrDanglingCurrentPointer() throws IOException {
    Path pointer = root.resolve("versions/current.json");
    Files.writeString(pointer, "{\"version\": \"v7.0.0\"}");
    assertEquals(PromptStoreException.Reason.NOT_FOUND,
      assertThrows(PromptStoreException.class, store::current).reason());
    Files.writeString(pointer, "{\"version\": \"../../etc/passwd\"}");
    assertEquals(PromptStoreException.Reason.INVALID_NAME,
      assertThrows(PromptStoreException.class, store::current).reason());
    Files.writeString(pointer, "[1, 2");
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT,
      assertThrows(PromptStoreException.class, store::current).reason());
    Files.delete(pointer);
    assertEquals(PromptStoreException.Reason.NOT_FOUND,
      assertThrows(PromptStoreException.class, store::current).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "v1.0.0/../../etc", "../schema", "v1.0.0/../current", "..%2F..%2Fetc"})
  void refusesPathTricksBeforeTouchingAFile(String name) {
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> store.load(name));
    assertEquals(PromptStoreException.Reason.INVALID_NAME, e.reason());
    assertTrue(e.getMessage().startsWith("invalid version name"), e.getMessage());
  }

  @Test
  void reportsAnUnknownVersion() {
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> store.load("v3.2.1"));
    assertEquals(PromptStoreException.Reason.NOT_FOUND, e.reason());
  }

  @Test
  void refusesDocumentsThatBreakTheSchemaNamingTheField() {
    assertInvalid(n -> ((ObjectNode) n.get("leonardo")).put("guidance_scale", 12.5), "$.leonardo.guidance_scale");
    assertInvalid(n -> ((ObjectNode) n.get("stablediffusion")).put("strength", 0.05), "$.stablediffusion.strength");
    assertInvalid(n -> ((ObjectNode) n.get("leonardo")).put("controlnet_weight", 1.0), "$.leonardo.controlnet_weight");
    assertInvalid(n -> ((ObjectNode) n.get("leonardo")).remove("negative_prompt"), "negative_prompt");
    assertInvalid(n -> ((ObjectNode) n.get("stablediffusion")).put("prompt", "x".repeat(2001)),
      "$.stablediffusion.prompt");
    assertInvalid(n -> ((ObjectNode) n.get("leonardo")).put("prompt", "short"), "$.leonardo.prompt");
    assertInvalid(n -> ((ObjectNode) n.get("leonardo")).put("guidance_scale", "7"), "$.leonardo.guidance_scale");
    assertInvalid(n -> n.put("created_at", "yesterday"), "$.created_at");
    assertInvalid(n -> n.put("created_by", ""), "$.created_by");
    assertInvalid(n -> ((ObjectNode) n.get("performance")).put("avg_rating", 6), "$.performance.avg_rating");
    assertInvalid(n -> ((ObjectNode) n.get("performance")).put("sample_count", -1), "$.performance.sample_count");
    assertInvalid(n -> n.put("unexpected", true), "unexpected");
    assertInvalid(n -> n.put("parent_version", "v1.0.1"), "$.parent_version");
    assertInvalid(n -> n.put("parent_version", "../v1.0.0"), "$.parent_version");
    assertInvalid(n -> ((ObjectNode) n.get("metadata")).putArray("changes").add(""), "$.metadata.changes");
  }

  @Test
  void refusesAVersionWhoseParentDoesNotExist() {
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> store.save(child("v1.0.1", "v0.9.0")));
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT, e.reason());
    assertTrue(e.getMessage().contains("$.parent_version"), e.getMessage());
    assertFalse(Files.exists(root.resolve("versions/v1.0.1.json")));
  }

  @Test
  void refusesAStoredFileThatIsCorruptOrMisnamed() throws IOException {
    Files.writeString(root.resolve("versions/v2.0.0.json"), "{ not json");
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> store.load("v2.0.0"));
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT, e.reason());
    Files.copy(root.resolve("versions/v1.0.0.json"), root.resolve("versions/v3.0.0.json"));
    e = assertThrows(PromptStoreException.class, () -> store.load("v3.0.0"));
    assertTrue(e.getMessage().contains("holds version \"v1.0.0\""), e.getMessage());
  }

  @Test
  void recordingPerformanceChangesNothingElse() throws IOException {
    Path file = root.resolve("versions/v1.0.0.json");
    ObjectNode before = (ObjectNode) PromptVersionJson.parse(Files.readAllBytes(file), "before");
    Instant used = Instant.parse("2026-01-02T03:04:05Z");
    PromptVersion updated = store.recordPerformance(PromptVersionName.parse("v1.0.0"),
      new Performance(3.25, 8, 0.625, used));
    assertEquals(new Performance(3.25, 8, 0.625, used), updated.performance());
    ObjectNode after = (ObjectNode) PromptVersionJson.parse(Files.readAllBytes(file), "after");
    assertEquals("2026-01-02T03:04:05Z", after.path("performance").path("last_used").asText());
    before.remove("performance");
    after.remove("performance");
    assertEquals(before, after);
  }

  @Test
  void refusesPerformanceOutsideItsRange() {
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> store.recordPerformance(
      PromptVersionName.parse("v1.0.0"), new Performance(0.5, 1, null, null)));
    assertTrue(e.getMessage().contains("$.performance.avg_rating"), e.getMessage());
  }

  @Test
  void namesAChildAfterTheHighestSiblingSoNamesNeverCollide() {
    PromptVersionName v100 = PromptVersionName.parse("v1.0.0");
    assertEquals("v1.0.1", store.nextChildName(v100).toString());
    store.save(child("v1.0.1", "v1.0.0"));
    assertEquals("v1.0.2", store.nextChildName(v100).toString());
    assertEquals("v1.0.2", store.nextChildName(PromptVersionName.parse("v1.0.1")).toString());
  }

  @Test
  void ordersParentsBeforeChildren() {
    PromptVersion root0 = store.load("v1.0.0");
    PromptVersion a = child("v2.0.0", "v1.0.0");
    PromptVersion b = child("v1.0.5", "v2.0.0");
    List<PromptVersion> ordered = PromptVersionStore.parentFirst(List.of(b, a, root0));
    assertEquals(List.of("v1.0.0", "v2.0.0", "v1.0.5"), ordered.stream().map(PromptVersion::name).toList());
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptVersionStore.parentFirst(List.of(b, root0)));
    assertTrue(e.getMessage().contains("names parent v2.0.0"), e.getMessage());
    PromptVersion loopA = child("v3.0.0", "v3.0.1");
    PromptVersion loopB = child("v3.0.1", "v3.0.0");
    assertThrows(PromptStoreException.class, () -> PromptVersionStore.parentFirst(List.of(root0, loopA, loopB)));
  }

  @Test
  void refusesToOpenAFolderWithoutSchema() throws IOException {
    Files.delete(root.resolve("schema.json"));
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> new PromptVersionStore(root));
    assertEquals(PromptStoreException.Reason.NOT_FOUND, e.reason());
  }

  private void assertInvalid(Consumer<ObjectNode> breakIt, String field) {
    ObjectNode node = PromptVersionJson.toNode(child("v1.0.1", "v1.0.0"));
    breakIt.accept(node);
    List<String> problems = store.validator().problems(node);
    assertFalse(problems.isEmpty(), "expected a problem at " + field);
    assertTrue(problems.stream().anyMatch(p -> p.contains(field)), field + " not named in " + problems);
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> store.validator().requireValid(node, "test document"));
    assertEquals(PromptStoreException.Reason.INVALID_DOCUMENT, e.reason());
  }

  private PromptVersion child(String version, String parent) {
    PromptVersion base = store.load("v1.0.0");
    ObjectNode metadata = PromptVersionJson.MAPPER.createObjectNode().put("description", "test child");
    return new PromptVersion(PromptVersionName.parse(version), Instant.parse("2026-01-01T00:00:00Z"), "test",
      parent == null ? null : PromptVersionName.parse(parent),
      base.leonardo().withPrompts(base.leonardo().prompt() + ", volumetric light", "flat"),
      base.stableDiffusion(), Performance.NONE, metadata);
  }

  private void assertNoTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> leftovers = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
      assertTrue(leftovers.isEmpty(), "temporary files left: " + leftovers);
    }
  }

  private static Set<String> fileNames(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static List<String> names(List<PromptVersionName> names) {
    return names.stream().map(PromptVersionName::toString).toList();
  }
}
