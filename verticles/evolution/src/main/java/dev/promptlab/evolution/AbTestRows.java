package dev.promptlab.evolution;

import static dev.promptlab.evolution.Rows.first;
import static dev.promptlab.evolution.Rows.iso;
import static dev.promptlab.evolution.Rows.records;
import static dev.promptlab.evolution.Transactions.storage;

import dev.promptlab.contract.AbTestArm;
import dev.promptlab.contract.AbTests;
import dev.promptlab.evolution.abtest.ArmTally;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * SQL of the ab_tests table: slots handed out atomically to the training flow, tallies recounted from the
 * ratings (so a replayed or concurrent event never counts twice), and the test closed once decided.
 */
final class AbTestRows {

  private static final String AB_COLUMNS =
    "SELECT id, evolution_id, control_version, candidate_version, status, samples_per_arm, slots_assigned,"
      + " control_count, control_sum, control_sum_sq, candidate_count, candidate_sum, candidate_sum_sq, outcome,"
      + " result, started_at, ended_at FROM ab_tests";
  private static final String LOCK_OPEN_AB_TEST =
    AB_COLUMNS + " WHERE status IN ('running', 'awaiting_review') FOR NO KEY UPDATE";
  private static final String OPEN_AB_TEST = AB_COLUMNS + " WHERE status IN ('running', 'awaiting_review')";
  private static final String AB_TEST_LIST =
    AB_COLUMNS + " WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2";
  private static final String INSERT_AB_TEST =
    "INSERT INTO ab_tests (evolution_id, control_version, candidate_version, status, samples_per_arm)"
      + " VALUES ($1, $2, $3, 'running', $4) RETURNING id";
  // One atomic statement hands out consecutive slots, so concurrent experiments never get the same slot.
  private static final String CLAIM_SLOTS =
    "UPDATE ab_tests SET slots_assigned = slots_assigned + $1 WHERE status = 'running'"
      + " RETURNING id, control_version, candidate_version, slots_assigned";
  private static final String AB_TALLY =
    "SELECT r.prompt_version = a.candidate_version AS candidate, count(*)::int AS n,"
      + " coalesce(sum(r.rating), 0)::float8 AS s, coalesce(sum(r.rating * r.rating), 0)::float8 AS ss"
      + " FROM rated_variants r JOIN ab_tests a ON a.id = r.ab_test_id"
      + " WHERE a.id = $1 AND r.prompt_version IN (a.control_version, a.candidate_version) GROUP BY 1";
  private static final String UPDATE_TALLY =
    "UPDATE ab_tests SET control_count = $2, control_sum = $3, control_sum_sq = $4, candidate_count = $5,"
      + " candidate_sum = $6, candidate_sum_sq = $7 WHERE id = $1";
  private static final String CLOSE_AB_TEST =
    "UPDATE ab_tests SET status = $2, outcome = $3, result = $4,"
      + " ended_at = CASE WHEN $2 IN ('decided', 'cancelled') THEN now() ELSE NULL END WHERE id = $1";

  private final Pool pool;

  AbTestRows(Pool pool) {
    this.pool = pool;
  }

  /** An A/B test row; tallies as stored at the last refresh; {@code view} as the contract shows it. */
  record AbTest(long id, Long evolutionId, String control, String candidate, String status, int samplesPerArm,
                ArmTally controlTally, ArmTally candidateTally, dev.promptlab.contract.AbTest view) {

    boolean running() {
      return "running".equals(status);
    }
  }

  /** The open (running or awaiting review) A/B test, locked for the rest of the transaction. */
  Future<Optional<AbTest>> lockOpenAbTest(SqlConnection conn) {
    return conn.query(LOCK_OPEN_AB_TEST).execute()
      .map(rows -> first(rows, AbTestRows::abTest));
  }

  Future<Optional<AbTest>> openAbTest() {
    return storage("read the open A/B test", pool.query(OPEN_AB_TEST).execute())
      .map(rows -> first(rows, AbTestRows::abTest));
  }

  Future<AbTests> abTests(String status, int limit) {
    return storage("list the A/B tests", pool.preparedQuery(AB_TEST_LIST).execute(Tuple.of(status, limit)))
      .map(rows -> new AbTests(records(rows, row -> abTest(row).view())));
  }

  Future<Long> insertAbTest(SqlConnection conn, long evolutionId, String control, String candidate,
                            int samplesPerArm) {
    return conn.preparedQuery(INSERT_AB_TEST).execute(Tuple.of(evolutionId, control, candidate, samplesPerArm))
      .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Slots handed out to one assignment request: the test and its slot range [first, first + count). */
  record ClaimedSlots(long testId, String control, String candidate, long first) {
  }

  Future<Optional<ClaimedSlots>> claimSlots(int count) {
    return storage("assign A/B test slots", pool.preparedQuery(CLAIM_SLOTS).execute(Tuple.of(count)))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new ClaimedSlots(row.getLong("id"), row.getString("control_version"),
          row.getString("candidate_version"), row.getLong("slots_assigned") - count));
      });
  }

  /** Recounts both arms from the ratings and stores the tallies; returns {control, candidate}. */
  Future<ArmTally[]> refreshTally(SqlConnection conn, long testId) {
    return conn.preparedQuery(AB_TALLY).execute(Tuple.of(testId)).compose(rows -> {
      ArmTally control = ArmTally.EMPTY;
      ArmTally candidate = ArmTally.EMPTY;
      for (Row row : rows) {
        ArmTally tally = new ArmTally(row.getInteger("n"), row.getDouble("s"), row.getDouble("ss"));
        if (Boolean.TRUE.equals(row.getBoolean("candidate"))) {
          candidate = tally;
        } else {
          control = tally;
        }
      }
      ArmTally[] tallies = {control, candidate};
      return conn.preparedQuery(UPDATE_TALLY).execute(Tuple.from(new Object[] {testId, control.count(),
          control.sum(), control.sumOfSquares(), candidate.count(), candidate.sum(), candidate.sumOfSquares()}))
        .map(done -> tallies);
    });
  }

  Future<Void> closeAbTest(SqlConnection conn, long testId, String status, String outcome, JsonObject result) {
    return conn.preparedQuery(CLOSE_AB_TEST).execute(Tuple.of(testId, status, outcome, result)).mapEmpty();
  }

  private static AbTest abTest(Row row) {
    ArmTally control = new ArmTally(row.getInteger("control_count"), row.getDouble("control_sum"),
      row.getDouble("control_sum_sq"));
    ArmTally candidate = new ArmTally(row.getInteger("candidate_count"), row.getDouble("candidate_sum"),
      row.getDouble("candidate_sum_sq"));
    dev.promptlab.contract.AbTest view = new dev.promptlab.contract.AbTest(row.getLong("id"),
      row.getLong("evolution_id"), row.getString("control_version"), row.getString("candidate_version"),
      row.getString("status"), row.getInteger("samples_per_arm"), row.getLong("slots_assigned"), arm(control),
      arm(candidate), row.getString("outcome"), row.getJsonObject("result"), iso(row.getOffsetDateTime("started_at")),
      iso(row.getOffsetDateTime("ended_at")));
    return new AbTest(view.id(), view.evolutionId(), view.controlVersion(), view.candidateVersion(), view.status(),
      view.samplesPerArm(), control, candidate, view);
  }

  static AbTestArm arm(ArmTally tally) {
    return new AbTestArm(tally.count(), tally.mean() == null ? null : Math.round(tally.mean() * 10_000) / 10_000.0,
      tally.standardDeviation() == null ? null : Math.round(tally.standardDeviation() * 10_000) / 10_000.0);
  }
}
