package dev.promptlab.evolution;

import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.DecisionReply;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionStatus;
import dev.promptlab.contract.ProductionParameters;
import dev.promptlab.contract.ProductionParametersRequest;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.evolution.AbTestRows.AbTest;
import dev.promptlab.evolution.learned.ProductionLookup;
import dev.promptlab.evolution.llm.PromptEvolutionProvider;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionName;
import dev.promptlab.evolution.store.PromptVersionStore;
import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;

/**
 * The prompt evolution cycle: triggers → evolution (issue analysis, provider, guard, new version) → A/B test →
 * decision, plus admin promotion and rollback, and the parameters studies learned written into new versions. Each job has its own class; this one puts them together for the
 * verticle and orders a stop.
 */
final class EvolutionCycle {

  private final EvolutionTables db;
  private final PromptEvolutionProvider provider;
  private final EvolutionTriggers.Settings triggers;
  private final EvolutionRunner runner;
  private final RatingPasses ratings;
  private final AdminDecisions admin;
  private final PromptAssigner assigner;
  private final StartupReconciliation reconciliation;
  private final LearnedDefaults learned;

  EvolutionCycle(Vertx vertx, EvolutionSettings settings, PromptVersionStore store, EvolutionTables db,
                 PromptEvolutionProvider provider) {
    this.db = db;
    this.provider = provider;
    this.triggers = RatingPasses.triggersOf(settings);
    Governance governance = new Governance(vertx, store, db);
    this.runner = new EvolutionRunner(vertx, settings, store, db, governance, provider);
    this.ratings = new RatingPasses(settings, db, governance, runner, provider);
    this.admin = new AdminDecisions(vertx, store, db, governance);
    this.assigner = new PromptAssigner(db);
    this.reconciliation = new StartupReconciliation(db, governance, runner, ratings);
    this.learned = new LearnedDefaults(vertx, store, db, governance);
  }

  /** See {@link StartupReconciliation#reconcile}. */
  Future<Void> reconcile(List<PromptVersion> versions, String current, Optional<String> databaseBefore) {
    return reconciliation.reconcile(versions, current, databaseBefore);
  }

  /** See {@link RatingPasses#afterRatings}. */
  Future<Void> afterRatings() {
    return ratings.afterRatings();
  }

  /** See {@link EvolutionRunner#evolveNow}. */
  Future<EvolutionRun> evolveNow(String requestedBy) {
    return runner.evolveNow(requestedBy);
  }

  /** See {@link AdminDecisions#promote}. */
  Future<DecisionReply> promote(PromptVersionName version, String by, String reason) {
    return admin.promote(version, by, reason);
  }

  /** See {@link AdminDecisions#rollback}. */
  Future<DecisionReply> rollback(PromptVersionName version, String by, String reason) {
    return admin.rollback(version, by, reason);
  }

  /** See {@link LearnedDefaults#studyUpdated}. */
  Future<Optional<String>> studyUpdated(StudyStatus study) {
    return learned.studyUpdated(study);
  }

  /** The parameters production uses for a mode and API, from the current version (see {@link ProductionLookup}). */
  Future<ProductionParameters> productionParameters(ProductionParametersRequest request) {
    return db.versions().currentVersion().map(current ->
      ProductionLookup.of(current.version(), current.document(), request.mode(), request.api()));
  }

  /** See {@link PromptAssigner#assign}. */
  Future<AssignReply> assign(int count) {
    return assigner.assign(count);
  }

  /**
   * Stops accepting evolutions and waits for the ones in flight (see {@link EvolutionRunner#settled}). Completes
   * once nothing of the cycle needs the database any more, or when the bounds are spent; never fails.
   */
  Future<Void> stop(long graceMs) {
    runner.stopAccepting();
    // A rating pass in flight may still start an evolution, which records itself as interrupted: wait for it first.
    return ratings.settled().compose(done -> runner.settled(graceMs));
  }

  /** The seed's prompt_evolution block plus what is in flight. */
  Future<EvolutionStatus> status() {
    return db.versions().currentVersion().compose(current -> Future.all(db.ratings().samplesCollected(),
        db.state().state(),
        db.evolutions().lastEvolutionStart(), db.evolutions().runningEvolution(), db.abTests().openAbTest())
      .map(all -> {
        EvolutionTriggers.State state = all.resultAt(1);
        Optional<EvolutionRun> running = all.resultAt(3);
        Optional<AbTest> open = all.resultAt(4);
        return new EvolutionStatus(current.version(), all.resultAt(2),
          EvolutionTriggers.nextCheckpoint(triggers, state), all.resultAt(0), current.avgRating(), provider.name(),
          running.orElse(null), open.map(AbTest::view).orElse(null));
      }));
  }}
