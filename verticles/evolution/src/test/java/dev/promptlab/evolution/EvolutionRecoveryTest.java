package dev.promptlab.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A crash at the worst moments leaves a store that is consistent on the next start. */
@ExtendWith(BlockedThreadGuard.class)
class EvolutionRecoveryTest {

  @TempDir
  Path temp;

  @Test
  void aCrashBetweenWritingTheVersionFileAndTheDatabaseIsCompletedOnRestart() throws Exception {
    EvolutionHarness first = new EvolutionHarness(temp).deploy();
    EvolutionHarness second;
    try (Connection blocker = TestDatabase.connect(); Statement s = blocker.createStatement()) {
      // Holds back every write to prompt_versions, so the evolution stops right after its file is written.
      blocker.setAutoCommit(false);
      s.execute("LOCK TABLE prompt_versions IN SHARE MODE");
      Future<Message<Object>> evolve = first.vertx.eventBus().request(Addresses.EVOLUTION_EVOLVE, new JsonObject(),
        new DeliveryOptions().setSendTimeout(120_000));
      Eventually.until("the version file is written", () -> Files.exists(first.prompts.resolve("versions/v1.0.1.json")));
      // The crash: the transaction that would mirror the version dies, and so does any that would then record
      // the failure (held back by a lock on evolutions first), so nothing after the file reaches the database,
      // as when the process stops at that instant.
      s.execute("LOCK TABLE evolutions IN SHARE MODE");
      Eventually.until("the mirroring transaction is blocked", () -> TestDatabase.count("SELECT count(*) FROM"
        + " pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO prompt_versions%'") == 1);
      terminateBackendsWaitingOn("INSERT INTO prompt_versions");
      Eventually.until("the evolution gave up", () -> {
        terminateBackendsWaitingOn("UPDATE evolutions");
        return evolve.isComplete();
      });
      assertTrue(evolve.failed());
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'running'"));
      blocker.rollback();
      first.close();
      second = first.restart();
    }
    try (EvolutionHarness restarted = second) {
      restarted.deploy();
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE version = 'v1.0.1'"
        + " AND parent_version = 'v1.0.0' AND NOT is_current"));
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE id = 1 AND status = 'succeeded'"
        + " AND candidate_version = 'v1.0.1' AND reason = 'completed after a restart'"));
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE evolution_id = 1 AND status = 'running'"
        + " AND control_version = 'v1.0.0' AND candidate_version = 'v1.0.1'"));
      assertEquals("v1.0.0", currentFile(restarted));
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE is_current AND version = 'v1.0.0'"));
      assertNoTemporaryFiles(restarted.prompts);
      JsonObject status = restarted.request(Addresses.EVOLUTION_STATUS, new JsonObject());
      assertEquals("v1.0.1", status.getJsonObject("ab_test").getString("candidate_version"));
    }
  }

  @Test
  void aCurrentPointerTheDatabaseMissedWinsAndCancelsTheStaleTest() throws Exception {
    EvolutionHarness first = new EvolutionHarness(temp).deploy();
    first.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    first.close();
    // As if a promotion had rewritten current.json and crashed before its commit.
    Files.writeString(first.prompts.resolve("versions/current.json"), "{\"version\": \"v1.0.1\"}\n");
    try (EvolutionHarness restarted = first.restart()) {
      restarted.deploy();
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE is_current AND version = 'v1.0.1'"));
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_decisions WHERE kind = 'sync'"
        + " AND from_version = 'v1.0.0' AND to_version = 'v1.0.1'"));
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'cancelled'"));
      JsonObject status = restarted.request(Addresses.EVOLUTION_STATUS, new JsonObject());
      assertEquals("v1.0.1", status.getString("current_version"));
      assertEquals(null, status.getValue("ab_test"));
    }
  }

  @Test
  void anInterruptedEvolutionWithoutAVersionIsRecordedAsFailed() throws Exception {
    EvolutionHarness first = new EvolutionHarness(temp).deploy();
    first.close();
    // The state a crash leaves when it strikes while the provider is thinking.
    TestDatabase.execute("INSERT INTO evolutions (trigger, status, parent_version, provider, at_sample)"
      + " VALUES ('periodic', 'running', 'v1.0.0', 'offline', 10)");
    try (EvolutionHarness restarted = first.restart()) {
      restarted.deploy();
      assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'failed'"
        + " AND reason = 'interrupted by a restart before its version was written'"));
      JsonObject evolution = restarted.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
      assertEquals("succeeded", evolution.getString("status"), "the next evolution may run");
    }
  }

  /** Kills every backend blocked on a lock while running a statement that starts with {@code statementStart}. */
  private static void terminateBackendsWaitingOn(String statementStart) {
    TestDatabase.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
      + " WHERE wait_event_type = 'Lock' AND query LIKE '" + statementStart + "%') killed");
  }

  private static String currentFile(EvolutionHarness harness) throws Exception {
    return new JsonObject(Files.readString(harness.prompts.resolve("versions/current.json"))).getString("version");
  }

  private static void assertNoTemporaryFiles(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }
}
