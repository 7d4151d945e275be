package dev.promptlab.evolution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.evolution.DecisionRows.Decision;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a start does before the evolution verticle answers: the database made to agree with the prompt files. */
final class StartupReconciliation {

  private static final Logger LOG = LoggerFactory.getLogger(StartupReconciliation.class);

  private final EvolutionTables db;
  private final Governance governance;
  private final EvolutionRunner runner;
  private final RatingPasses ratings;

  StartupReconciliation(EvolutionTables db, Governance governance, EvolutionRunner runner, RatingPasses ratings) {
    this.db = db;
    this.governance = governance;
    this.runner = runner;
    this.ratings = ratings;
  }

  /**
   * Makes the database consistent with the files after a start (possibly after a crash): records a sync decision
   * when current.json disagreed with the database, finishes an evolution a crash interrupted (its version file
   * exists: mirror it and start its A/B test; it does not: record the failure), cancels an A/B test whose control
   * is no longer current, then catches up on ratings that arrived while the verticle was down.
   */
  Future<Void> reconcile(List<PromptVersion> versions, String current, Optional<String> databaseBefore) {
    return db.state().ensureState()
      .compose(done -> databaseBefore.filter(before -> !before.equals(current)).map(before ->
        governance.governed("record the start-up sync", (conn, fx) -> governance.decide(conn, fx,
          new Decision("sync", null, before, current, "synced", new JsonObject(), Governance.SYSTEM,
            "current.json names " + current + " while the database had " + before + ": the files win")))
          .<Void>mapEmpty()).orElse(Future.succeededFuture()))
      .compose(done -> db.evolutions().runningEvolution())
      .compose(running -> running.map(record -> resume(record, versions)).orElse(Future.succeededFuture()))
      .compose(done -> governance.governed("check the open A/B test", (conn, fx) -> db.abTests().lockOpenAbTest(conn)
        .compose(open -> open.filter(test -> !test.control().equals(current))
          .map(test -> governance.cancel(conn, fx, test, current, Governance.SYSTEM,
            "the current version became " + current + " while the test was open"))
          .orElse(Future.succeededFuture()))))
      .compose(done -> ratings.governancePass("catch up after start"));
  }

  private Future<Void> resume(EvolutionRun record, List<PromptVersion> versions) {
    long id = record.id();
    EvolutionStart start = new EvolutionStart(id, record.trigger(), record.parentVersion(), record.atSample(),
      record.parentAvgRating(), 0);
    Optional<PromptVersion> written = versions.stream()
      .filter(v -> v.metadata().path("evolution_id").asLong(-1) == id).findFirst();
    if (written.isEmpty()) {
      LOG.warn("evolution {} was interrupted before its version was written", id);
      return runner.finish(start, "failed", null, record.issues() == null ? new JsonArray() : record.issues(), null,
        "interrupted by a restart before its version was written");
    }
    PromptVersion version = written.get();
    LOG.warn("evolution {} was interrupted after writing {}; completing it", id, version.name());
    ObjectNode proposal = PromptVersionJson.MAPPER.createObjectNode();
    proposal.put("improved_prompt", version.leonardo().prompt());
    proposal.set("changes", version.metadata().path("changes"));
    proposal.put("reasoning", version.metadata().path("reasoning").asText());
    proposal.put("expected_improvement", version.metadata().path("expected_improvement").asText());
    JsonArray issues = new JsonArray(PromptVersionJson.toCompactString(version.metadata().path("issues")
      .isArray() ? version.metadata().path("issues") : PromptVersionJson.MAPPER.createArrayNode()));
    return runner.complete(start, version, issues, proposal, "completed after a restart");
  }
}
