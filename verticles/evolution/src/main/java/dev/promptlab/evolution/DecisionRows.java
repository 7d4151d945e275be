package dev.promptlab.evolution;

import static dev.promptlab.evolution.Rows.bounded;
import static dev.promptlab.evolution.Rows.first;
import static dev.promptlab.evolution.Rows.iso;
import static dev.promptlab.evolution.Rows.records;
import static dev.promptlab.evolution.Transactions.storage;

import dev.promptlab.contract.PromptDecided;
import dev.promptlab.contract.PromptDecisions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** SQL of prompt_decisions: every promotion, rollback, A/B decision and start-up sync, as published. */
final class DecisionRows {

  private static final String INSERT_DECISION =
    "INSERT INTO prompt_decisions (kind, ab_test_id, from_version, to_version, outcome, statistics, decided_by, reason)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
      + " RETURNING id, kind, ab_test_id, from_version, to_version, outcome, statistics, decided_by, reason, decided_at";
  private static final String DECISIONS =
    "SELECT id, kind, ab_test_id, from_version, to_version, outcome, statistics, decided_by, reason, decided_at"
      + " FROM prompt_decisions ORDER BY id DESC LIMIT $1";
  // The version that was current before `$1` became current.
  private static final String PREVIOUS_CURRENT =
    "SELECT from_version FROM prompt_decisions WHERE to_version = $1 AND from_version IS NOT NULL"
      + " AND from_version <> to_version AND outcome IN ('promoted', 'rolled_back', 'synced') ORDER BY id DESC LIMIT 1";

  private final Pool pool;

  DecisionRows(Pool pool) {
    this.pool = pool;
  }

  /** A decision to record. */
  record Decision(String kind, Long abTestId, String from, String to, String outcome, JsonObject statistics,
                  String decidedBy, String reason) {
  }

  /** Records {@code d}; answers it as it is published and listed. */
  Future<PromptDecided> insertDecision(SqlConnection conn, Decision d) {
    return conn.preparedQuery(INSERT_DECISION).execute(Tuple.from(new Object[] {d.kind(), d.abTestId(), d.from(),
        d.to(), d.outcome(), d.statistics() == null ? new JsonObject() : d.statistics(), d.decidedBy(),
        bounded(d.reason())}))
      .map(rows -> decision(rows.iterator().next()));
  }

  Future<PromptDecisions> decisions(int limit) {
    return storage("list the decisions", pool.preparedQuery(DECISIONS).execute(Tuple.of(limit)))
      .map(rows -> new PromptDecisions(records(rows, DecisionRows::decision)));
  }

  Future<String> previousCurrent(SqlConnection conn, String current) {
    return conn.preparedQuery(PREVIOUS_CURRENT).execute(Tuple.of(current))
      .map(rows -> first(rows, row -> row.getString("from_version")).orElse(null));
  }

  private static PromptDecided decision(Row row) {
    return new PromptDecided(row.getLong("id"), row.getString("kind"), row.getLong("ab_test_id"),
      row.getString("from_version"), row.getString("to_version"), row.getString("outcome"),
      row.getJsonObject("statistics"), row.getString("decided_by"), row.getString("reason"),
      iso(row.getOffsetDateTime("decided_at")));
  }
}
