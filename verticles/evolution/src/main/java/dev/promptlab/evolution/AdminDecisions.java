package dev.promptlab.evolution;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.DecisionReply;
import dev.promptlab.contract.PromptDecided;
import dev.promptlab.evolution.AbTestRows.AbTest;
import dev.promptlab.evolution.DecisionRows.Decision;
import dev.promptlab.evolution.PromptVersionRows.CurrentVersion;
import dev.promptlab.evolution.store.PromptVersionName;
import dev.promptlab.evolution.store.PromptVersionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * An admin's promotions and rollbacks of the current prompt version, each a governed transaction recorded as a
 * decision; a promotion resolves an A/B test awaiting review, and any other open test is cancelled.
 */
final class AdminDecisions {

  private final Vertx vertx;
  private final PromptVersionStore store;
  private final EvolutionTables db;
  private final Governance governance;

  AdminDecisions(Vertx vertx, PromptVersionStore store, EvolutionTables db, Governance governance) {
    this.vertx = vertx;
    this.store = store;
    this.db = db;
    this.governance = governance;
  }

  /** Makes {@code version} current; resolves an open A/B test it belongs to, cancels any other. */
  Future<DecisionReply> promote(PromptVersionName version, String by, String reason) {
    String target = version.toString();
    return vertx.executeBlocking(() -> store.load(version)).compose(loaded -> governance.governed("promote " + target,
      (conn, fx) -> db.versions().currentVersion(conn).compose(current -> db.abTests().lockOpenAbTest(conn)
        .compose(open -> {
          String why = reason != null ? reason : "promoted by " + by;
          fx.finishedAt(fx.samples);
          if (current.version().equals(target)) {
            if (open.isPresent() && open.get().control().equals(target)) {
              AbTest test = open.get();
              JsonObject result = reviewResult(test, by, reason != null ? reason : "kept by " + by);
              return db.abTests().closeAbTest(conn, test.id(), "decided", "kept", result)
                .compose(done -> governance.decide(conn, fx, new Decision("ab_test", test.id(), test.control(), target,
                  "kept", result, by, result.getString("reason"))))
                .map(decision -> reply(target, current.version(), decision));
            }
            return Future.failedFuture(BusFailure.conflict(target + " is already the current version"));
          }
          if (open.isPresent() && open.get().candidate().equals(target)) {
            AbTest test = open.get();
            JsonObject result = reviewResult(test, by, why);
            return db.abTests().closeAbTest(conn, test.id(), "decided", "promoted", result)
              .compose(done -> governance.switchCurrent(conn, fx, current.version(), target))
              .compose(done -> governance.decide(conn, fx, new Decision("ab_test", test.id(), current.version(), target,
                "promoted", result, by, why)))
              .map(decision -> reply(target, current.version(), decision));
          }
          Future<Void> cancelled = open
            .map(test -> governance.cancel(conn, fx, test, target, by, target + " was promoted"))
            .orElse(Future.succeededFuture());
          return cancelled.compose(done -> governance.switchCurrent(conn, fx, current.version(), target))
            .compose(done -> governance.decide(conn, fx, new Decision("promote", null, current.version(), target,
              "promoted", statistics(current), by, why)))
            .map(decision -> reply(target, current.version(), decision));
        }))));
  }

  /** Restores {@code version}, by default the version that was current before the current one (or its parent). */
  Future<DecisionReply> rollback(PromptVersionName version, String by, String reason) {
    return governance.governed("roll back", (conn, fx) -> db.versions().currentVersion(conn).compose(current ->
      (version != null ? Future.succeededFuture(version.toString())
        : db.decisions().previousCurrent(conn, current.version()).compose(previous -> previous != null
          ? Future.succeededFuture(previous) : db.versions().parentOf(conn, current.version())))
        .compose(target -> {
          if (target == null) {
            return Future.failedFuture(BusFailure.conflict("there is no earlier version to roll back to from "
              + current.version()));
          }
          if (target.equals(current.version())) {
            return Future.failedFuture(BusFailure.conflict(target + " is already the current version"));
          }
          String why = reason != null ? reason : "rolled back by " + by;
          fx.finishedAt(fx.samples);
          return vertx.executeBlocking(() -> store.load(PromptVersionName.parse(target)))
            .compose(loaded -> db.abTests().lockOpenAbTest(conn))
            .compose(open -> open.map(test -> governance.cancel(conn, fx, test, target, by, "rolled back to " + target))
              .orElse(Future.succeededFuture()))
            .compose(done -> governance.switchCurrent(conn, fx, current.version(), target))
            .compose(done -> governance.decide(conn, fx, new Decision("rollback", null, current.version(), target,
              "rolled_back", statistics(current), by, why)))
            .map(decision -> reply(target, current.version(), decision));
        })));
  }

  private static JsonObject reviewResult(AbTest test, String by, String reason) {
    return new JsonObject().put("control", test.view().control().toJson())
      .put("candidate", test.view().candidate().toJson()).put("decided_by", by).put("reason", reason);
  }

  private static JsonObject statistics(CurrentVersion current) {
    return new JsonObject().put("replaced_version", current.version()).put("replaced_avg_rating", current.avgRating())
      .put("replaced_sample_count", current.sampleCount());
  }

  private static DecisionReply reply(String current, String previous, PromptDecided decision) {
    return new DecisionReply(current, previous, decision);
  }
}
