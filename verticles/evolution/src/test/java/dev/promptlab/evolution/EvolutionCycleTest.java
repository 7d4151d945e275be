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
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole cycle on the bus with the offline provider: trigger, evolution, A/B test, decision, rollback. */
@ExtendWith(BlockedThreadGuard.class)
class EvolutionCycleTest {

  private static final List<String> COMMENTS = List.of("Se ve plano, como un montaje", "flat, looks pasted",
    "la iluminación es rara", "parece un render", "too blurry", "sin profundidad");

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

  private void rateBaseline(int samples) {
    for (int i = 0; i < samples; i++) {
      harness.publish(TrainingRows.rateOne("v1.0.0", null, 2 + i % 2, COMMENTS.get(i % COMMENTS.size())));
    }
  }

  private JsonObject lastEvolution() {
    JsonArray list = harness.request(Addresses.EVOLUTION_HISTORY, new JsonObject()).getJsonArray("evolutions");
    return list.isEmpty() ? null : list.getJsonObject(0);
  }

  private void awaitEvolutionEnded() {
    Eventually.until("the evolution has ended", () -> {
      JsonObject last = lastEvolution();
      return last != null && !"running".equals(last.getString("status"));
    });
  }

  private String currentInDatabase() {
    try (var c = TestDatabase.connect(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT version FROM prompt_versions WHERE is_current")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private String currentFile() throws Exception {
    return new JsonObject(Files.readString(harness.prompts.resolve("versions/current.json"))).getString("version");
  }

  @Test
  void tenRatedSamplesEvolveThePromptAndTheBetterVersionBecomesCurrentThenRollsBack() throws Exception {
    harness.deploy();
    rateBaseline(9);
    Eventually.until("nine samples counted", () -> TestDatabase.count(
      "SELECT sample_count FROM prompt_versions WHERE version = 'v1.0.0'") == 9);
    assertNull(lastEvolution(), "no evolution before the 10th sample");
    rateBaseline(1);
    awaitEvolutionEnded();

    JsonObject evolution = lastEvolution();
    assertEquals("succeeded", evolution.getString("status"), evolution.encodePrettily());
    assertEquals("periodic", evolution.getString("trigger"));
    assertEquals("v1.0.0", evolution.getString("parent_version"));
    assertEquals("v1.0.1", evolution.getString("candidate_version"));
    assertEquals("offline", evolution.getString("provider"));
    assertEquals(10, evolution.getInteger("at_sample"));
    assertEquals("flat_montage", evolution.getJsonArray("issues").getJsonObject(0).getString("issue"));
    assertNotNull(evolution.getLong("ab_test_id"));

    JsonObject v101 = harness.request(Addresses.EVOLUTION_VERSION_SHOW, new JsonObject().put("version", "v1.0.1"));
    assertEquals("v1.0.0", v101.getString("parent_version"));
    assertEquals("evolution:offline", v101.getString("created_by"));
    assertFalse(v101.getJsonObject("metadata").getJsonArray("changes").isEmpty());
    assertEquals(evolution.getLong("id"), v101.getJsonObject("metadata").getLong("evolution_id"));
    assertTrue(v101.getJsonObject("metadata").getJsonArray("issues").size() >= 3);
    assertTrue(v101.getJsonObject("leonardo").getString("prompt").contains("objects grounded with contact shadows"));
    assertEquals(0.25, v101.getJsonObject("leonardo").getDouble("init_strength"), "numeric defaults are inherited");
    assertTrue(Files.exists(harness.prompts.resolve("versions/v1.0.1.json")));

    JsonObject status = harness.request(Addresses.EVOLUTION_STATUS, new JsonObject());
    assertEquals("v1.0.0", status.getString("current_version"));
    assertNotNull(status.getString("last_evolution"));
    assertEquals(20, status.getInteger("next_evolution_at_sample"));
    JsonObject abTest = status.getJsonObject("ab_test");
    assertEquals("running", abTest.getString("status"));
    assertEquals("v1.0.0", abTest.getString("control_version"));
    assertEquals("v1.0.1", abTest.getString("candidate_version"));

    // The next samples alternate between the arms; the candidate is rated better.
    for (int i = 0; i < 5; i++) {
      AssignReply reply = AssignReply.fromJson(harness.request(Addresses.EVOLUTION_ASSIGN,
        new JsonObject().put("mode", "surfaces").put("count", 2)));
      List<String> versions = reply.assignments().stream().map(PromptAssignment::version).sorted().toList();
      assertEquals(List.of("v1.0.0", "v1.0.1"), versions, "one sample of each arm per pair");
      reply.assignments().forEach(a -> assertEquals(abTest.getLong("id"), a.abTestId()));
      List<TrainingRows.Rated> rated = reply.assignments().stream().map(a -> new TrainingRows.Rated(a.version(),
        a.abTestId(), a.version().equals("v1.0.1") ? 5 : 2, "ok")).toList();
      harness.publish(TrainingRows.rateExperiment("surfaces", "trainer@example.com", rated));
    }
    Eventually.until("the A/B test is decided", () -> "v1.0.1".equals(currentInDatabase()));
    assertEquals("v1.0.1", currentFile());
    JsonObject test = harness.request(Addresses.EVOLUTION_AB_TESTS, new JsonObject()).getJsonArray("ab_tests")
      .getJsonObject(0);
    assertEquals("decided", test.getString("status"));
    assertEquals("promoted", test.getString("outcome"));
    assertEquals(5, test.getJsonObject("candidate").getInteger("count"));
    assertEquals(5.0, test.getJsonObject("candidate").getDouble("avg_rating"));
    assertEquals(2.0, test.getJsonObject("control").getDouble("avg_rating"));
    assertTrue(test.getJsonObject("result").getDouble("probability_candidate_better") > 0.99);

    JsonObject decision = harness.request(Addresses.EVOLUTION_DECISIONS, new JsonObject()).getJsonArray("decisions")
      .getJsonObject(0);
    assertEquals("ab_test", decision.getString("kind"));
    assertEquals("promoted", decision.getString("outcome"));
    assertEquals("system", decision.getString("decided_by"));
    assertEquals("v1.0.0", decision.getString("from_version"));
    assertEquals("v1.0.1", decision.getString("to_version"));
    assertEquals(3.0, decision.getJsonObject("statistics").getDouble("difference"));
    Eventually.until("the winner's file carries its performance", () -> {
      try {
        return new JsonObject(Files.readString(harness.prompts.resolve("versions/v1.0.1.json")))
          .getJsonObject("performance").getInteger("sample_count") == 5;
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    });
    PromptVersionSummary winner = PromptVersions.fromJson(harness.request(Addresses.EVOLUTION_VERSIONS,
      new JsonObject())).versions().get(0);
    assertEquals("v1.0.1", winner.version());
    assertEquals(1.0, winner.performance().winRate(), "won every head-to-head");

    JsonObject back = harness.request(Addresses.EVOLUTION_ROLLBACK, new JsonObject().put("requested_by", "ops@x.io"));
    assertEquals("v1.0.0", back.getString("current_version"));
    assertEquals("v1.0.1", back.getString("previous_version"));
    assertEquals("rolled_back", back.getJsonObject("decision").getString("outcome"));
    assertEquals("ops@x.io", back.getJsonObject("decision").getString("decided_by"));
    assertEquals("v1.0.0", currentInDatabase());
    assertEquals("v1.0.0", currentFile());
    AssignReply after = AssignReply.fromJson(harness.request(Addresses.EVOLUTION_ASSIGN,
      new JsonObject().put("mode", "structure").put("count", 2)));
    after.assignments().forEach(a -> {
      assertEquals("v1.0.0", a.version());
      assertNull(a.abTestId());
    });
  }

  @Test
  void aCandidateThatIsNotClearlyBetterIsNotPromoted() {
    harness.deploy();
    JsonObject evolution = harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject().put("requested_by", "a@x.io"));
    assertEquals("succeeded", evolution.getString("status"));
    assertEquals("manual", evolution.getString("trigger"));
    assertEquals("a@x.io", evolution.getString("requested_by"));
    for (int i = 0; i < 5; i++) {
      harness.rateAssigned(2, version -> 4, "fine");
    }
    Eventually.until("the A/B test is decided", () ->
      TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'decided'") == 1);
    JsonObject test = harness.request(Addresses.EVOLUTION_AB_TESTS, new JsonObject().put("status", "decided"))
      .getJsonArray("ab_tests").getJsonObject(0);
    assertEquals("kept", test.getString("outcome"));
    assertTrue(test.getJsonObject("result").getString("reason").contains("keeping the current version"));
    assertEquals("v1.0.0", currentInDatabase());
  }

  @Test
  void withReviewRequiredTheAdminDecides() throws Exception {
    harness.with("ab_test", new JsonObject().put("require_review", true).put("samples_per_arm", 2)).deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    for (int i = 0; i < 2; i++) {
      harness.rateAssigned(2, version -> version.equals("v1.0.1") ? 5 : 1, null);
    }
    Eventually.until("the test awaits review", () ->
      TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'awaiting_review'") == 1);
    JsonObject awaiting = harness.request(Addresses.EVOLUTION_DECISIONS, new JsonObject()).getJsonArray("decisions")
      .getJsonObject(0);
    assertEquals("awaiting_review", awaiting.getString("outcome"));
    assertEquals("v1.0.1", awaiting.getString("to_version"), "the rule's recommendation");
    assertEquals("v1.0.0", currentInDatabase(), "nothing changes without the admin");
    AssignReply meanwhile = AssignReply.fromJson(harness.request(Addresses.EVOLUTION_ASSIGN,
      new JsonObject().put("mode", "structure").put("count", 2)));
    meanwhile.assignments().forEach(a -> assertEquals("v1.0.0", a.version()));
    assertTrue(harness.failure(Addresses.EVOLUTION_EVOLVE, new JsonObject(), FailureCodes.CONFLICT)
      .contains("awaiting review"));

    JsonObject promoted = harness.request(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.1")
      .put("requested_by", "boss@x.io").put("reason", "looks right"));
    assertEquals("v1.0.1", promoted.getString("current_version"));
    assertEquals("ab_test", promoted.getJsonObject("decision").getString("kind"));
    assertEquals("looks right", promoted.getJsonObject("decision").getString("reason"));
    assertEquals("v1.0.1", currentFile());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'decided' AND outcome = 'promoted'"
      + " AND result->>'decided_by' = 'boss@x.io'"));
  }

  @Test
  void anAdminCanRejectACandidateUnderReviewByKeepingTheCurrentVersion() {
    harness.with("ab_test", new JsonObject().put("require_review", true).put("samples_per_arm", 1)).deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    harness.rateAssigned(2, version -> 3, null);
    Eventually.until("the test awaits review", () ->
      TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'awaiting_review'") == 1);
    JsonObject kept = harness.request(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.0"));
    assertEquals("kept", kept.getJsonObject("decision").getString("outcome"));
    assertEquals("v1.0.0", currentInDatabase());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status IN ('running', 'awaiting_review')"));
  }

  @Test
  void promotingAnotherVersionCancelsTheRunningTest() throws Exception {
    harness.deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    harness.request(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.0").put("reason", "keep"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'decided' AND outcome = 'kept'"));
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    assertTrue(Files.exists(harness.prompts.resolve("versions/v1.0.2.json")), "siblings never collide");
    JsonObject promoted = harness.request(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.1"));
    assertEquals("promote", promoted.getJsonObject("decision").getString("kind"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'cancelled'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_decisions WHERE kind = 'ab_test'"
      + " AND outcome = 'cancelled' AND to_version = 'v1.0.1'"));
    assertEquals("v1.0.1", currentFile());
    JsonObject back = harness.request(Addresses.EVOLUTION_ROLLBACK, new JsonObject().put("version", "v1.0.2"));
    assertEquals("v1.0.2", back.getString("current_version"));
    JsonObject again = harness.request(Addresses.EVOLUTION_ROLLBACK, new JsonObject());
    assertEquals("v1.0.1", again.getString("current_version"), "rolls back to the version current before");
  }

  @Test
  void refusesBadOrPointlessAdminRequests() {
    harness.deploy();
    harness.failure(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "../v1.0.0"),
      FailureCodes.INVALID_REQUEST);
    harness.failure(Addresses.EVOLUTION_PROMOTE, new JsonObject(), FailureCodes.INVALID_REQUEST);
    harness.failure(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v4.0.0"), FailureCodes.NOT_FOUND);
    assertTrue(harness.failure(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.0"),
      FailureCodes.CONFLICT).contains("already the current version"));
    assertTrue(harness.failure(Addresses.EVOLUTION_ROLLBACK, new JsonObject(), FailureCodes.CONFLICT)
      .contains("no earlier version"));
    harness.failure(Addresses.EVOLUTION_ROLLBACK, new JsonObject().put("version", "v0.0.1"), FailureCodes.NOT_FOUND);
    harness.failure(Addresses.EVOLUTION_PROMOTE, new JsonObject().put("version", "v1.0.0")
      .put("reason", "x".repeat(501)), FailureCodes.INVALID_REQUEST);
    harness.failure(Addresses.EVOLUTION_AB_TESTS, new JsonObject().put("status", "weird"), FailureCodes.INVALID_REQUEST);
    harness.failure(Addresses.EVOLUTION_HISTORY, new JsonObject().put("limit", 0), FailureCodes.INVALID_REQUEST);
    harness.failure(Addresses.EVOLUTION_DIFF, new JsonObject().put("from", "v1.0.0"), FailureCodes.INVALID_REQUEST);
    harness.failure(Addresses.EVOLUTION_DIFF, new JsonObject().put("from", "v1.0.0").put("to", "v9.0.0"),
      FailureCodes.NOT_FOUND);
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM prompt_decisions"));
  }

  @Test
  void aSecondManualEvolutionWaitsForTheTestToEnd() {
    harness.deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    assertTrue(harness.failure(Addresses.EVOLUTION_EVOLVE, new JsonObject(), FailureCodes.CONFLICT)
      .contains("is running"));
  }

  @Test
  void diffsTwoVersions() {
    harness.deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    JsonObject diff = harness.request(Addresses.EVOLUTION_DIFF, new JsonObject().put("from", "v1.0.0")
      .put("to", "v1.0.1"));
    assertEquals("parent", diff.getString("related"));
    JsonObject prompt = diff.getJsonObject("leonardo").getJsonObject("prompt");
    assertTrue(prompt.getBoolean("changed"));
    assertFalse(prompt.getJsonArray("added").isEmpty());
    assertTrue(diff.getJsonObject("leonardo").getJsonObject("settings").isEmpty());
  }
}
