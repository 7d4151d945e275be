package dev.promptlab.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptVersionSummary;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.VersionPerformance;
import dev.promptlab.evolution.TrainingRows.Rated;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(BlockedThreadGuard.class)
class EvolutionVerticleStoreTest {

  @TempDir
  Path temp;
  private EvolutionHarness harness;

  @BeforeEach
  void start() {
    harness = new EvolutionHarness(temp);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void mirrorsEveryVersionAndTheCurrentPointerOnStart() {
    harness.deploy();
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE version = 'v1.0.0' AND is_current"
      + " AND document->'leonardo'->>'init_strength' = '0.25' AND parent_version IS NULL"));
  }

  @Test
  void theFilesWinOverTheDatabaseOnRestart() throws Exception {
    harness.deploy();
    harness.undeploy();
    String child = Files.readString(harness.prompts.resolve("versions/v1.0.0.json"))
      .replace("\"version\": \"v1.0.0\"", "\"version\": \"v1.1.0\"")
      .replace("\"parent_version\": null", "\"parent_version\": \"v1.0.0\"")
      .replace("ultra-realistic,", "ultra-realistic, cinematic depth,");
    Files.writeString(harness.prompts.resolve("versions/v1.1.0.json"), child);
    Files.writeString(harness.prompts.resolve("versions/current.json"), "{\"version\": \"v1.1.0\"}");
    harness.deploy();
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE is_current AND version = 'v1.1.0'"
      + " AND parent_version = 'v1.0.0' AND document->'leonardo'->>'prompt' LIKE '%cinematic depth%'"));
    assertEquals("v1.1.0", harness.request(Addresses.EVOLUTION_STATUS, new JsonObject()).getString("current_version"));
  }

  @Test
  void assignsTheCurrentVersionToEverySample() {
    harness.deploy();
    AssignReply reply = AssignReply.fromJson(harness.request(Addresses.EVOLUTION_ASSIGN,
      new JsonObject().put("mode", "structure").put("count", 2)));
    assertEquals(2, reply.assignments().size());
    for (PromptAssignment a : reply.assignments()) {
      assertEquals("v1.0.0", a.version());
      assertNull(a.abTestId());
      assertTrue(a.leonardo().prompt().startsWith("ultra-realistic"));
      assertTrue(a.forApi("stablediffusion").negativePrompt().startsWith("drawn, sketch"));
    }
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE last_used IS NOT NULL"));
  }

  @Test
  void refusesMalformedAssignRequests() {
    harness.deploy();
    String address = Addresses.EVOLUTION_ASSIGN;
    assertTrue(harness.failure(address, new JsonObject().put("mode", "kitchen"), FailureCodes.INVALID_REQUEST)
      .contains("mode must be one of"));
    harness.failure(address, new JsonObject(), FailureCodes.INVALID_REQUEST);
    harness.failure(address, new JsonObject().put("mode", "structure").put("count", 0), FailureCodes.INVALID_REQUEST);
    harness.failure(address, new JsonObject().put("mode", "structure").put("count", 11), FailureCodes.INVALID_REQUEST);
    harness.failure(address, new JsonObject().put("mode", "structure").put("count", "2"), FailureCodes.INVALID_REQUEST);
    harness.failure(address, "not json", FailureCodes.INVALID_REQUEST);
  }

  @Test
  void showsOneVersionAndRefusesBadNames() {
    harness.deploy();
    JsonObject v1 = harness.request(Addresses.EVOLUTION_VERSION_SHOW, new JsonObject().put("version", "v1.0.0"));
    assertEquals("system_init", v1.getString("created_by"));
    assertEquals(0.92, v1.getJsonObject("leonardo").getDouble("controlnet_weight"));
    assertEquals(true, v1.getBoolean("is_current"));
    assertEquals(0, v1.getJsonObject("performance").getInteger("sample_count"));
    String show = Addresses.EVOLUTION_VERSION_SHOW;
    assertTrue(harness.failure(show, new JsonObject().put("version", "../x"), FailureCodes.INVALID_REQUEST)
      .startsWith("invalid version name"));
    harness.failure(show, new JsonObject().put("version", "v1.0.0/../../etc"), FailureCodes.INVALID_REQUEST);
    harness.failure(show, new JsonObject().put("version", 7), FailureCodes.INVALID_REQUEST);
    harness.failure(show, new JsonObject(), FailureCodes.INVALID_REQUEST);
    assertTrue(harness.failure(show, new JsonObject().put("version", "v9.9.9"), FailureCodes.NOT_FOUND)
      .contains("does not exist"));
  }

  @Test
  void keepsPerformanceCurrentFromTheRatings() {
    harness.deploy();
    harness.publish(TrainingRows.rateExperiment("structure", "ana@example.com",
      List.of(new Rated("v1.0.0", null, 2, "plano"), new Rated("v1.0.0", null, 5, "great"))));
    harness.publish(TrainingRows.rateOne("v1.0.0", null, 3, null));
    Eventually.until("three samples are counted", () ->
      TestDatabase.count("SELECT sample_count FROM prompt_versions WHERE version = 'v1.0.0'") == 3);
    PromptVersionSummary v1 = PromptVersions.fromJson(harness.request(Addresses.EVOLUTION_VERSIONS, new JsonObject()))
      .versions().get(0);
    assertEquals("v1.0.0", v1.version());
    assertTrue(v1.isCurrent());
    VersionPerformance performance = v1.performance();
    assertEquals(10.0 / 3, performance.avgRating(), 1e-9);
    assertEquals(3, performance.sampleCount());
    assertNull(performance.winRate(), "no head-to-head against another version yet");
    assertNotNull(performance.lastUsed());
  }

  @Test
  void ignoresMalformedEventsAndKeepsServing() {
    harness.deploy();
    harness.vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, new JsonObject().put("ratings", "nope"));
    assertEquals(true, harness.request(Addresses.ping("evolution"), new JsonObject()).getBoolean("ok"));
  }

  @Test
  void reportsStatusInTheSeedShape() {
    harness.deploy();
    JsonObject status = harness.request(Addresses.EVOLUTION_STATUS, new JsonObject());
    assertEquals("v1.0.0", status.getString("current_version"));
    assertTrue(status.containsKey("last_evolution"));
    assertEquals(10, status.getInteger("next_evolution_at_sample"));
  }

  @Test
  void refusesToStartWithoutACurrentPointer() throws Exception {
    Files.delete(harness.prompts.resolve("versions/current.json"));
    Throwable failure = harness.deployFailure();
    assertTrue(String.valueOf(failure.getMessage()).contains("current.json"), String.valueOf(failure));
    assertFalse(TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE is_current") > 0);
  }

  @Test
  void refusesToStartWithABadConfiguration() {
    harness.with("llm", new JsonObject().put("provider", "magic"));
    Throwable failure = harness.deployFailure();
    assertTrue(String.valueOf(failure.getMessage()).contains("evolution.llm.provider"), String.valueOf(failure));
  }
}
