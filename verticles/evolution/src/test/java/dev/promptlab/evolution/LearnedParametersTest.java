package dev.promptlab.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BestSetting;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ProductionParameters;
import dev.promptlab.contract.ProductionParametersRequest;
import dev.promptlab.contract.StudyStatus;
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

/**
 * Learned parameters become production's: study updates published on the bus, the evolution verticle on the real
 * database and a seeded prompt store; production parameters read over the bus.
 */
@ExtendWith(BlockedThreadGuard.class)
class LearnedParametersTest {

  private static final GenerationParameters LEONARDO_BEST = new GenerationParameters("leonardo", 0.42, 10.5, 0.75);
  private static final GenerationParameters SD_GUESS = new GenerationParameters("stablediffusion", 0.15, 6, 0.95);

  @TempDir
  Path temp;
  private EvolutionHarness harness;

  @BeforeEach
  void start() {
    harness = new EvolutionHarness(temp).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static StudyStatus study(String mode, boolean phase1Complete, List<BestSetting> perApi) {
    BestSetting best = perApi.get(0);
    return new StudyStatus(mode, 50, best.estimate(), 0.9, 0, phase1Complete, phase1Complete ? "samples" : null,
      best.parameters(), "gp-matern52-ard", best.lower(), best.upper(), best.observedAverage(), best.ratings(),
      "ended (samples)", perApi);
  }

  private void publish(StudyStatus study) {
    harness.vertx.eventBus().publish(Addresses.EVENT_STUDY_UPDATED, study.toJson());
  }

  private ProductionParameters production(String mode, String api) {
    return ProductionParameters.fromJson(harness.request(Addresses.EVOLUTION_PRODUCTION_PARAMETERS,
      new ProductionParametersRequest(mode, api).toJson()));
  }

  private String current() {
    return harness.request(Addresses.EVOLUTION_STATUS, new JsonObject()).getString("current_version");
  }

  private JsonObject version(String name) {
    return harness.request(Addresses.EVOLUTION_VERSION_SHOW, new JsonObject().put("version", name));
  }

  private int versionCount() {
    return harness.request(Addresses.EVOLUTION_VERSIONS, new JsonObject()).getJsonArray("versions").size();
  }

  private String awaitCurrentBecomes(String version) {
    return Eventually.value("the current version becomes " + version, this::current, version::equals);
  }

  @Test
  void aStudyPastPhaseOneWritesItsBestSettingsIntoANewCurrentVersionThatProductionReads() throws Exception {
    ProductionParameters before = production("structure", "leonardo");
    assertEquals("v1.0.0", before.promptVersion());
    assertEquals("prompt_defaults", before.source());
    assertEquals(new GenerationParameters("leonardo", 0.25, 7.0, 0.92), before.parameters(), "the seed's defaults");
    assertNull(before.learned());

    // Still in phase 1: nothing is written. (Updates are handled in order, so the next write shows it was seen.)
    publish(study("structure", false, List.of(new BestSetting(SD_GUESS, 4.6, 4.1, 5.0, 6, 4.5))));
    publish(study("structure", true, List.of(new BestSetting(LEONARDO_BEST, 4.3, 3.9, 4.7, 5, 4.4),
      new BestSetting(SD_GUESS, 2.1, 1.0, 3.5, 1, 2.0))));
    awaitCurrentBecomes("v1.0.1");

    JsonObject written = version("v1.0.1");
    assertEquals("v1.0.0", written.getString("parent_version"));
    assertEquals("optimizer:structure", written.getString("created_by"));
    assertEquals(version("v1.0.0").getJsonObject("leonardo"), written.getJsonObject("leonardo"), "same prompts");
    JsonObject learned = written.getJsonObject("metadata").getJsonObject("learned_parameters");
    assertEquals(List.of("leonardo"), List.copyOf(learned.getJsonObject("structure").fieldNames()),
      "an API with one rating near its best is not published");
    JsonObject provenance = learned.getJsonObject("structure").getJsonObject("leonardo");
    assertEquals(50, provenance.getInteger("samples"));
    assertEquals(5, provenance.getInteger("ratings"));
    assertEquals(4.3, provenance.getDouble("estimate"));
    assertEquals(3.9, provenance.getDouble("lower"));
    assertEquals("samples", provenance.getString("phase_1_reason"));
    assertTrue(Files.exists(harness.prompts.resolve("versions/v1.0.1.json")), "a version file like any other");

    ProductionParameters leonardo = production("structure", "leonardo");
    assertEquals("v1.0.1", leonardo.promptVersion());
    assertEquals("learned", leonardo.source());
    assertEquals(LEONARDO_BEST, leonardo.parameters());
    assertEquals(4.3, leonardo.learned().estimate());
    assertEquals("prompt_defaults", production("structure", "stablediffusion").source());
    assertEquals("prompt_defaults", production("surfaces", "leonardo").source());

    JsonObject decision = harness.request(Addresses.EVOLUTION_DECISIONS, new JsonObject())
      .getJsonArray("decisions").getJsonObject(0);
    assertEquals("learned_parameters", decision.getString("kind"));
    assertEquals("v1.0.0", decision.getString("from_version"));
    assertEquals("v1.0.1", decision.getString("to_version"));
    assertEquals("optimizer:structure", decision.getString("decided_by"));

    // A small refinement of the same setting is not a new version; the other mode's study adds its own.
    publish(study("structure", true, List.of(new BestSetting(new GenerationParameters("leonardo", 0.43, 10.6, 0.76),
      4.4, 4.0, 4.8, 7, 4.5))));
    GenerationParameters surfacesBest = new GenerationParameters("stablediffusion", 0.2, 8, 0.9);
    publish(study("surfaces", true, List.of(new BestSetting(surfacesBest, 4.1, 3.7, 4.5, 4, 4.0))));
    awaitCurrentBecomes("v1.0.2");
    assertEquals(3, versionCount());
    JsonObject both = version("v1.0.2").getJsonObject("metadata").getJsonObject("learned_parameters");
    assertEquals(provenance, both.getJsonObject("structure").getJsonObject("leonardo"), "the other mode's are kept");
    assertEquals(surfacesBest, production("surfaces", "stablediffusion").parameters());
    assertEquals(LEONARDO_BEST, production("structure", "leonardo").parameters());

    // A material move writes again.
    GenerationParameters moved = new GenerationParameters("leonardo", 0.3, 9, 0.8);
    publish(study("structure", true, List.of(new BestSetting(moved, 4.5, 4.1, 4.9, 9, 4.6))));
    awaitCurrentBecomes("v1.0.3");
    assertEquals(moved, production("structure", "leonardo").parameters());
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM prompt_versions"));
  }

  @Test
  void notDuringAnAbTestAndAnEvolvedVersionKeepsTheLearnedParameters() throws Exception {
    publish(study("structure", true, List.of(new BestSetting(LEONARDO_BEST, 4.3, 3.9, 4.7, 5, 4.4))));
    awaitCurrentBecomes("v1.0.1");
    JsonObject evolution = harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject().put("requested_by", "a@x.io"));
    assertEquals("succeeded", evolution.getString("status"), evolution.encodePrettily());
    String candidate = evolution.getString("candidate_version");
    assertEquals("v1.0.2", candidate);
    assertEquals(version("v1.0.1").getJsonObject("metadata").getJsonObject("learned_parameters"),
      version(candidate).getJsonObject("metadata").getJsonObject("learned_parameters"), "inherited by the child");

    // While the A/B test runs its control stays current: a due update waits.
    GenerationParameters moved = new GenerationParameters("leonardo", 0.3, 9, 0.8);
    publish(study("structure", true, List.of(new BestSetting(moved, 4.5, 4.1, 4.9, 9, 4.6))));
    for (int i = 0; i < 5; i++) {
      harness.rateAssigned(2, v -> v.equals(candidate) ? 5 : 2, null);
    }
    JsonObject test = Eventually.value("the A/B test is decided", () -> harness.request(Addresses.EVOLUTION_AB_TESTS,
      new JsonObject()).getJsonArray("ab_tests").getJsonObject(0), t -> !"running".equals(t.getString("status")));
    assertEquals("promoted", test.getString("outcome"), test.encodePrettily());
    assertEquals(candidate, current());
    assertEquals(3, versionCount(), "nothing written meanwhile");
    assertEquals(LEONARDO_BEST, production("structure", "leonardo").parameters(), "the winner carries them");

    publish(study("structure", true, List.of(new BestSetting(moved, 4.5, 4.1, 4.9, 9, 4.6))));
    awaitCurrentBecomes("v1.0.3");
    assertEquals(candidate, version("v1.0.3").getString("parent_version"));
    assertEquals(moved, production("structure", "leonardo").parameters());
  }

  @Test
  void aBadRequestForProductionParametersIsRefused() {
    assertTrue(harness.failure(Addresses.EVOLUTION_PRODUCTION_PARAMETERS,
      new JsonObject().put("mode", "kitchen").put("api", "leonardo"), FailureCodes.INVALID_REQUEST).contains("mode"));
    assertTrue(harness.failure(Addresses.EVOLUTION_PRODUCTION_PARAMETERS,
      new JsonObject().put("mode", "structure"), FailureCodes.INVALID_REQUEST).contains("api"));
  }
}
