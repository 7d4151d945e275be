package dev.promptlab.evolution;

import static dev.promptlab.evolution.Transactions.storage;

import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of the single evolution_state row: the trigger state, and the lock every governed transaction takes first,
 * so that those transactions run one at a time and cannot deadlock with each other.
 */
final class EvolutionStateRows {

  private static final String ENSURE_STATE = "INSERT INTO evolution_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING";
  private static final String STATE_COLUMNS =
    "SELECT next_evolution_at_sample, best_avg_rating, best_at_sample, last_finished_at_sample FROM evolution_state"
      + " WHERE id = 1";
  private static final String LOCK_STATE = STATE_COLUMNS + " FOR UPDATE";
  private static final String UPDATE_STATE =
    "UPDATE evolution_state SET next_evolution_at_sample = $1, best_avg_rating = $2, best_at_sample = $3,"
      + " last_finished_at_sample = $4, updated_at = now() WHERE id = 1";

  private final Pool pool;

  EvolutionStateRows(Pool pool) {
    this.pool = pool;
  }

  Future<Void> ensureState() {
    return storage("prepare the evolution state", pool.query(ENSURE_STATE).execute()).mapEmpty();
  }

  /** Locks the evolution_state row for the rest of the transaction and reads it. */
  Future<EvolutionTriggers.State> lockState(SqlConnection conn) {
    return conn.query(LOCK_STATE).execute().compose(rows -> rows.size() == 0
      ? Future.failedFuture(new IllegalStateException("the evolution_state row is missing"))
      : Future.succeededFuture(state(rows.iterator().next())));
  }

  Future<EvolutionTriggers.State> state() {
    return storage("read the evolution state", pool.query(STATE_COLUMNS).execute())
      .map(rows -> rows.size() == 0 ? new EvolutionTriggers.State(null, null, 0, 0) : state(rows.iterator().next()));
  }

  private static EvolutionTriggers.State state(Row row) {
    return new EvolutionTriggers.State(row.getInteger("next_evolution_at_sample"), row.getDouble("best_avg_rating"),
      row.getInteger("best_at_sample"), row.getInteger("last_finished_at_sample"));
  }

  Future<Void> updateState(SqlConnection conn, EvolutionTriggers.State state) {
    return conn.preparedQuery(UPDATE_STATE).execute(Tuple.of(state.nextEvolutionAtSample(), state.bestAvgRating(),
      state.bestAtSample(), state.lastFinishedAtSample())).mapEmpty();
  }
}
