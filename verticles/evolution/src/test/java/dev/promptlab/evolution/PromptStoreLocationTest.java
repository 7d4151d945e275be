package dev.promptlab.evolution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.PromptVersionSummary;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.evolution.store.PromptSeed;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the prompt store lives: under the data directory by default, seeded on the first start from the packaged
 * seed, and kept with its evolved versions and current pointer by every later start on the same directory (a
 * recreated container, a fresh copy of the jar); an explicit {@code prompts_dir} still wins.
 */
@ExtendWith(BlockedThreadGuard.class)
class PromptStoreLocationTest {

  @TempDir
  Path temp;

  @Test
  void aFirstStartSeedsThePromptStoreUnderTheDataDirectory() throws Exception {
    try (EvolutionHarness harness = EvolutionHarness.unseeded(temp)) {
      Path store = temp.resolve("data/prompts");
      assertFalse(Files.exists(store), "nothing before the first start");
      harness.deploy();

      assertEquals("v1.0.0", harness.request(Addresses.EVOLUTION_STATUS, new JsonObject())
        .getString("current_version"));
      for (Map.Entry<String, byte[]> file : PromptSeed.packaged().files().entrySet()) {
        assertArrayEquals(file.getValue(), Files.readAllBytes(store.resolve(file.getKey())), file.getKey());
      }
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE version = 'v1.0.0'"
        + " AND is_current"));
    }
  }

  @Test
  void aNewProcessOnTheSameDataDirectoryKeepsTheEvolvedVersionsAndTheCurrentOne() throws Exception {
    EvolutionHarness first = EvolutionHarness.unseeded(temp).deploy();
    JsonObject evolution = first.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    assertEquals("succeeded", evolution.getString("status"), evolution.encodePrettily());
    assertEquals("v1.0.1", evolution.getString("candidate_version"));
    first.request(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.1"));
    String promotedDocument = Files.readString(first.prompts.resolve("versions/v1.0.1.json"));
    first.close();

    // The same data directory and database, as after `docker compose up` recreates the container.
    try (EvolutionHarness second = first.restart().deploy()) {
      assertKeeps(second, promotedDocument);
    }
    // A fresh database as well: the files are the source of truth, so nothing falls back to the seed's v1.0.0.
    TestDatabase.reset();
    try (EvolutionHarness third = first.restart().deploy()) {
      assertKeeps(third, promotedDocument);
    }
  }

  private static void assertKeeps(EvolutionHarness harness, String promotedDocument) throws Exception {
    assertEquals("v1.0.1", harness.request(Addresses.EVOLUTION_STATUS, new JsonObject()).getString("current_version"));
    PromptVersions versions = PromptVersions.fromJson(harness.request(Addresses.EVOLUTION_VERSIONS, new JsonObject()));
    assertEquals(List.of("v1.0.1", "v1.0.0"), versions.versions().stream().map(PromptVersionSummary::version)
      .toList());
    JsonObject shown = harness.request(Addresses.EVOLUTION_VERSION_SHOW, new JsonObject().put("version", "v1.0.1"));
    assertEquals("v1.0.0", shown.getString("parent_version"));
    assertTrue(shown.getBoolean("is_current"));
    assertEquals(promotedDocument, Files.readString(harness.prompts.resolve("versions/v1.0.1.json")),
      "a later start never rewrites a version");
    assertEquals("v1.0.1", new JsonObject(Files.readString(harness.prompts.resolve("versions/current.json")))
      .getString("version"));
  }

  @Test
  void anExplicitPromptsDirWinsOverTheDataDirectory() throws Exception {
    Path elsewhere = temp.resolve("elsewhere/prompts");
    try (EvolutionHarness harness = EvolutionHarness.unseeded(temp).with("prompts_dir", elsewhere.toString())) {
      harness.deploy();
      harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
      assertTrue(Files.exists(elsewhere.resolve("versions/v1.0.1.json")), "seeded and written where configured");
      assertFalse(Files.exists(temp.resolve("data/prompts")), "the data directory's default store is not used");
    }
  }

  @Test
  void aPromptsDirThatIsNotAPathIsRefused() throws Exception {
    for (Object bad : List.of("", "  ", 42, new JsonObject())) {
      try (EvolutionHarness harness = EvolutionHarness.unseeded(temp).with("prompts_dir", bad)) {
        Throwable failure = harness.deployFailure();
        assertTrue(String.valueOf(failure.getMessage()).contains("evolution.prompts_dir must be a folder path"),
          bad + ": " + failure);
      }
    }
  }

  @Test
  void aStoreThatCannotBeSeededStopsTheStartWithTheReason() throws Exception {
    try (EvolutionHarness harness = EvolutionHarness.unseeded(temp)) {
      Files.createDirectories(harness.prompts.resolve("versions"));
      Files.writeString(harness.prompts.resolve("versions/current.json"), "{\"version\": \"v1.0.3\"}");
      Throwable failure = harness.deployFailure();
      assertTrue(String.valueOf(failure.getMessage()).contains("holds no prompt version but [current.json]"),
        String.valueOf(failure));
      assertEquals("{\"version\": \"v1.0.3\"}", Files.readString(harness.prompts.resolve("versions/current.json")),
        "a file the seed does not own is left alone");
      assertEquals(0, TestDatabase.count("SELECT count(*) FROM prompt_versions"));
    }
  }
}
