package dev.promptlab.evolution;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.PromptDecided;
import dev.promptlab.contract.VersionPerformance;
import dev.promptlab.evolution.AbTestRows.AbTest;
import dev.promptlab.evolution.DecisionRows.Decision;
import dev.promptlab.evolution.store.Performance;
import dev.promptlab.evolution.store.PromptVersionName;
import dev.promptlab.evolution.store.PromptVersionStore;
import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The governed transaction: every change of the current version, an A/B test or an evolution runs in a database
 * transaction that first locks the evolution_state row ({@link #governed}), so concurrent ratings cannot start
 * two evolutions or decide a test twice. current.json is rewritten inside that transaction, before the commit, and
 * put back if the commit fails: the file and the database agree, and after a crash the files win on the next
 * start. Decisions are published and performance snapshots written only after the commit.
 *
 * <p>Deadlocks are ruled out by construction: every transaction that locks more than one row does so under the
 * evolution_state lock, so those transactions run one at a time, and every statement outside them changes a
 * single row, so it never waits while holding a lock. A transaction that still fails with a serialization failure
 * or a deadlock runs again from scratch ({@link Transactions#retryingConflicts}).
 */
final class Governance {

  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  /** Who decides what no admin decided. */
  static final String SYSTEM = "system";

  private final Vertx vertx;
  private final PromptVersionStore store;
  private final EvolutionTables db;

  Governance(Vertx vertx, PromptVersionStore store, EvolutionTables db) {
    this.vertx = vertx;
    this.store = store;
    this.db = db;
  }

  /** What one governed transaction did, acted on after the commit. */
  static final class Effects {
    EvolutionTriggers.State state;
    int samples;
    final List<PromptDecided> decisions = new ArrayList<>();
    final Set<String> snapshot = new LinkedHashSet<>();
    String currentFileBefore;

    void finishedAt(int sample) {
      state = new EvolutionTriggers.State(state.nextEvolutionAtSample(), state.bestAvgRating(), state.bestAtSample(),
        sample);
    }
  }

  /** A committed governed transaction: its result and what is left to do after the commit. */
  private record Committed<T>(T result, Effects effects) {
  }

  /**
   * Runs {@code work} in a transaction that holds the evolution_state lock, then acts on its effects. A
   * transaction rolled back by a serialization failure or a deadlock runs again from scratch (fresh effects,
   * current.json put back first), a bounded number of times.
   */
  <T> Future<T> governed(String what, BiFunction<SqlConnection, Effects, Future<T>> work) {
    return Transactions.storage(what, Transactions.retryingConflicts(what, () -> governedOnce(work)))
      .compose(committed -> afterCommit(committed.effects()).map(committed.result()));
  }

  private <T> Future<Committed<T>> governedOnce(BiFunction<SqlConnection, Effects, Future<T>> work) {
    Effects effects = new Effects();
    return db.transactions().transaction(conn -> db.state().lockState(conn)
        .compose(state -> {
          effects.state = state;
          return db.ratings().samplesCollected(conn);
        })
        .compose(samples -> {
          effects.samples = samples;
          return work.apply(conn, effects);
        })
        .compose(result -> db.state().updateState(conn, effects.state).map(new Committed<>(result, effects))))
      .recover(failure -> revertCurrentFile(effects).transform(done -> Future.<Committed<T>>failedFuture(failure)));
  }

  private Future<Void> revertCurrentFile(Effects effects) {
    if (effects.currentFileBefore == null) {
      return Future.succeededFuture();
    }
    String before = effects.currentFileBefore;
    return vertx.executeBlocking(() -> {
      store.setCurrent(PromptVersionName.parse(before));
      return null;
    }).<Void>mapEmpty().onFailure(e -> LOG.error("current.json could not be restored to {} after a failed"
      + " transaction; the next start makes the database follow the file", before, e));
  }

  /** Publishes the decisions and snapshots performance (awaited). */
  private Future<Void> afterCommit(Effects effects) {
    effects.decisions.forEach(d -> vertx.eventBus().publish(Addresses.EVENT_PROMPT_DECIDED, d.toJson()));
    return effects.snapshot.isEmpty() ? Future.succeededFuture() : snapshotPerformance(effects.snapshot);
  }

  /** Points the database and current.json at {@code to} (inside a governed transaction). */
  Future<Void> switchCurrent(SqlConnection conn, Effects effects, String from, String to) {
    return db.versions().setCurrent(conn, to).compose(done -> vertx.executeBlocking(() -> {
      store.setCurrent(PromptVersionName.parse(to));
      return null;
    })).map(done -> {
      if (effects.currentFileBefore == null) {
        effects.currentFileBefore = from;
      }
      effects.snapshot.add(from);
      effects.snapshot.add(to);
      return null;
    });
  }

  /** Records {@code decision}; it is published once the transaction has committed. */
  Future<PromptDecided> decide(SqlConnection conn, Effects effects, Decision decision) {
    return db.decisions().insertDecision(conn, decision).map(recorded -> {
      effects.decisions.add(recorded);
      LOG.info("prompt decision {}: {} {} → {} by {} ({})", recorded.id(), decision.kind(),
        decision.from(), decision.to(), decision.decidedBy(), decision.outcome());
      return recorded;
    });
  }

  /** Cancels the open A/B test because {@code newCurrent} became current (inside a governed transaction). */
  Future<Void> cancel(SqlConnection conn, Effects fx, AbTest test, String newCurrent, String by,
                              String reason) {
    JsonObject result = new JsonObject().put("control", test.view().control().toJson())
      .put("candidate", test.view().candidate().toJson()).put("reason", reason).put("decided_by", by);
    fx.finishedAt(fx.samples);
    return db.abTests().closeAbTest(conn, test.id(), "cancelled", null, result)
      .compose(done -> decide(conn, fx, new Decision("ab_test", test.id(), test.control(), newCurrent, "cancelled",
        result, by, "A/B test cancelled: " + reason)))
      .mapEmpty();
  }

  /** Copies live performance into the version files (and their mirrored documents); best effort, never fails. */
  private Future<Void> snapshotPerformance(Set<String> versions) {
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions) {
      chain = chain.compose(done -> db.versions().versionSummary(version)).compose(summary -> {
        if (summary.isEmpty()) {
          return Future.succeededFuture();
        }
        VersionPerformance p = summary.get().performance();
        Performance performance = new Performance(p.avgRating(), p.sampleCount(), p.winRate(),
          p.lastUsed() == null ? null : Instant.parse(p.lastUsed()));
        return vertx.executeBlocking(() -> store.recordPerformance(PromptVersionName.parse(version), performance))
          .compose(written -> db.versions().setDocumentPerformance(version, p.toJson()));
      });
    }
    return chain.recover(e -> {
      LOG.warn("performance snapshot of {} not written: {}", versions, e.getMessage());
      return Future.succeededFuture();
    });
  }
}
