package dev.promptlab.evolution;

import dev.promptlab.evolution.AbTestRows.AbTest;
import dev.promptlab.evolution.DecisionRows.Decision;
import dev.promptlab.evolution.abtest.AbTestDecision;
import dev.promptlab.evolution.abtest.ArmTally;
import dev.promptlab.evolution.llm.PromptEvolutionProvider;
import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;

/**
 * Applies ratings to prompt evolution: each pass, in one governed transaction, marks the ratings not applied yet,
 * refreshes the performance of the versions they rated, tallies and decides the running A/B test, and checks the
 * evolution triggers; an evolution a trigger fired starts once the pass has committed.
 */
final class RatingPasses {

  private final EvolutionTables db;
  private final Governance governance;
  private final EvolutionRunner runner;
  private final PromptEvolutionProvider provider;
  private final EvolutionTriggers.Settings triggers;
  private final AbTestDecision.Rule rule;
  private final boolean requireReview;
  private final PendingRatings pendingRatings;

  RatingPasses(EvolutionSettings settings, EvolutionTables db, Governance governance, EvolutionRunner runner,
               PromptEvolutionProvider provider) {
    this.db = db;
    this.governance = governance;
    this.runner = runner;
    this.provider = provider;
    this.triggers = triggersOf(settings);
    EvolutionSettings.AbTest ab = settings.abTest();
    this.rule = new AbTestDecision.Rule(ab.samplesPerArm(), ab.minMargin(), ab.minProbability(), ab.minSd());
    this.requireReview = ab.requireReview();
    // While stopping no pass starts: the ratings stay pending and the next start's catch-up pass applies them.
    this.pendingRatings = new PendingRatings(() -> runner.stopping() ? Future.succeededFuture()
      : governancePass("apply new ratings"));
  }

  static EvolutionTriggers.Settings triggersOf(EvolutionSettings settings) {
    EvolutionSettings.Triggers t = settings.triggers();
    return new EvolutionTriggers.Settings(t.everySamples(), t.periodicBelow(), t.lowPerformanceAfter(),
      t.lowPerformanceBelow(), t.plateauSamples(), t.minSamplesBetween());
  }

  /** Completes (never fails) once no pass runs and none is waiting to. */
  Future<Void> settled() {
    return pendingRatings.settled();
  }

  /**
   * Applies the ratings not applied yet (whichever event announced them): one pass at a time, see
   * {@link PendingRatings}. A failed pass leaves its ratings pending for the next one.
   */
  Future<Void> afterRatings() {
    return pendingRatings.apply();
  }

  /**
   * Marks the pending ratings applied and refreshes the performance of the versions they rated, then tallies and
   * decides the A/B test and checks the triggers, all in one governed transaction: either every effect of a
   * rating is recorded together with its mark, or none is and the rating stays pending.
   */
  Future<Void> governancePass(String what) {
    return governance.governed(what, (conn, fx) -> db.ratings().claimPendingRatings(conn)
      .compose(claimed -> db.versions().refreshPerformance(conn, claimed.versions()))
      .compose(done -> db.abTests().lockOpenAbTest(conn))
      .compose(open -> open.isPresent() && open.get().running() ? tallyAndDecide(conn, fx, open.get())
        : Future.succeededFuture(open.isPresent()))
      .compose(testOpen -> db.evolutions().runningEvolution(conn).map(running -> testOpen || running.isPresent()))
      .compose(busy -> db.versions().currentVersion(conn).compose(current -> {
        EvolutionTriggers.Outcome outcome = EvolutionTriggers.evaluate(triggers, fx.state,
          new EvolutionTriggers.Now(fx.samples, current.avgRating(), busy));
        fx.state = outcome.next();
        if (outcome.fired() == null) {
          return Future.succeededFuture(Optional.<EvolutionStart>empty());
        }
        return db.evolutions().insertEvolution(conn, outcome.fired().key(), current.version(), provider.name(),
            provider.model(), fx.samples, current.avgRating(), null)
          .map(id -> Optional.of(new EvolutionStart(id, outcome.fired().key(), current.version(), fx.samples,
            current.avgRating(), current.sampleCount())));
      })))
      // Started once committed, and not awaited: the pass ends while the evolution runs.
      .map(started -> {
        started.ifPresent(runner::start);
        return null;
      });
  }

  /** Recounts the running test; when both arms are complete, decides it. Answers whether it is still open. */
  private Future<Boolean> tallyAndDecide(SqlConnection conn, Governance.Effects fx, AbTest test) {
    return db.abTests().refreshTally(conn, test.id()).compose(tallies -> {
      ArmTally control = tallies[0];
      ArmTally candidate = tallies[1];
      if (!AbTestDecision.complete(rule, control, candidate)) {
        return Future.succeededFuture(true);
      }
      AbTestDecision.Verdict verdict = AbTestDecision.decide(rule, control, candidate);
      boolean promote = verdict.outcome() == AbTestDecision.Outcome.PROMOTE;
      JsonObject result = new JsonObject(verdict.statistics()).put("recommendation", promote ? "promote" : "keep")
        .put("reason", verdict.reason());
      fx.finishedAt(fx.samples);
      fx.snapshot.add(test.control());
      fx.snapshot.add(test.candidate());
      if (requireReview) {
        return db.abTests().closeAbTest(conn, test.id(), "awaiting_review", null, result)
          .compose(done -> governance.decide(conn, fx, new Decision("ab_test", test.id(), test.control(),
            promote ? test.candidate() : test.control(), "awaiting_review", result, Governance.SYSTEM,
            "review required; the rule recommends to " + (promote ? "promote " + test.candidate() : "keep "
              + test.control()) + ": " + verdict.reason())))
          .map(true);
      }
      Future<Void> apply = promote ? governance.switchCurrent(conn, fx, test.control(), test.candidate())
        : Future.succeededFuture();
      return db.abTests().closeAbTest(conn, test.id(), "decided", promote ? "promoted" : "kept",
          result.copy().put("decided_by", Governance.SYSTEM))
        .compose(done -> apply)
        .compose(done -> governance.decide(conn, fx, new Decision("ab_test", test.id(), test.control(),
          promote ? test.candidate() : test.control(), promote ? "promoted" : "kept", result, Governance.SYSTEM,
          verdict.reason())))
        .map(false);
    });
  }
}
