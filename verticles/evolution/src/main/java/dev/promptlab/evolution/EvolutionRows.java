package dev.promptlab.evolution;

import static dev.promptlab.evolution.Rows.bounded;
import static dev.promptlab.evolution.Rows.first;
import static dev.promptlab.evolution.Rows.iso;
import static dev.promptlab.evolution.Rows.records;
import static dev.promptlab.evolution.Transactions.storage;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionRuns;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** SQL of the evolutions table: at most one running, each closed once with its outcome. */
final class EvolutionRows {

  private static final String EVOLUTION_COLUMNS =
    "SELECT e.id, e.trigger, e.status, e.parent_version, e.candidate_version, e.provider, e.model, e.at_sample,"
      + " e.parent_avg_rating, e.issues, e.proposal, e.reason, e.requested_by, e.started_at, e.finished_at,"
      + " a.id AS ab_test_id FROM evolutions e LEFT JOIN ab_tests a ON a.evolution_id = e.id";
  private static final String RUNNING_EVOLUTION = EVOLUTION_COLUMNS + " WHERE e.status = 'running'";
  private static final String EVOLUTION_BY_ID = EVOLUTION_COLUMNS + " WHERE e.id = $1";
  private static final String EVOLUTION_HISTORY = EVOLUTION_COLUMNS + " ORDER BY e.id DESC LIMIT $1";
  private static final String LAST_EVOLUTION_START = "SELECT max(started_at) AS last FROM evolutions";
  private static final String INSERT_EVOLUTION =
    "INSERT INTO evolutions (trigger, status, parent_version, provider, model, at_sample, parent_avg_rating,"
      + " requested_by) VALUES ($1, 'running', $2, $3, $4, $5, $6, $7) RETURNING id";
  // Only a running evolution can finish, and only once (a restart may have closed it meanwhile).
  private static final String FINISH_EVOLUTION =
    "UPDATE evolutions SET status = $2, candidate_version = $3, issues = $4, proposal = $5, reason = $6,"
      + " finished_at = now() WHERE id = $1 AND status = 'running'";

  private final Pool pool;

  EvolutionRows(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<EvolutionRun>> runningEvolution(SqlClient client) {
    return client.query(RUNNING_EVOLUTION).execute()
      .map(rows -> first(rows, EvolutionRows::evolution));
  }

  Future<Optional<EvolutionRun>> runningEvolution() {
    return storage("read the running evolution", runningEvolution(pool));
  }

  Future<Long> insertEvolution(SqlConnection conn, String trigger, String parent, String provider, String model,
                               int atSample, Double parentAvg, String requestedBy) {
    return conn.preparedQuery(INSERT_EVOLUTION)
      .execute(Tuple.from(new Object[] {trigger, parent, provider, model, atSample, parentAvg, requestedBy}))
      .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Closes a running evolution; false when it was not running any more. */
  Future<Boolean> finishEvolution(SqlConnection conn, long id, String status, String candidate, JsonArray issues,
                                  JsonObject proposal, String reason) {
    return conn.preparedQuery(FINISH_EVOLUTION)
      .execute(Tuple.from(new Object[] {id, status, candidate, issues, proposal, bounded(reason)}))
      .map(rows -> rows.rowCount() == 1);
  }

  Future<EvolutionRun> evolution(long id) {
    return storage("read an evolution", pool.preparedQuery(EVOLUTION_BY_ID).execute(Tuple.of(id)))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(BusFailure.notFound("no evolution " + id))
        : Future.succeededFuture(evolution(rows.iterator().next())));
  }

  Future<EvolutionRuns> evolutions(int limit) {
    return storage("list the evolutions", pool.preparedQuery(EVOLUTION_HISTORY).execute(Tuple.of(limit)))
      .map(rows -> new EvolutionRuns(records(rows, EvolutionRows::evolution)));
  }

  Future<String> lastEvolutionStart() {
    return storage("read the last evolution", pool.query(LAST_EVOLUTION_START).execute())
      .map(rows -> iso(rows.iterator().next().getOffsetDateTime("last")));
  }

  private static EvolutionRun evolution(Row row) {
    return new EvolutionRun(row.getLong("id"), row.getString("trigger"), row.getString("status"),
      row.getString("parent_version"), row.getString("candidate_version"), row.getString("provider"),
      row.getString("model"), row.getInteger("at_sample"), row.getDouble("parent_avg_rating"),
      row.getJsonArray("issues"), row.getJsonObject("proposal"), row.getString("reason"),
      row.getString("requested_by"), iso(row.getOffsetDateTime("started_at")),
      iso(row.getOffsetDateTime("finished_at")), row.getLong("ab_test_id"));
  }
}
