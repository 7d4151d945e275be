package dev.promptlab.evolution;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.evolution.abtest.ArmTally;
import dev.promptlab.evolution.analysis.CommentIssueAnalyzer.RatedComment;
import dev.promptlab.evolution.store.PromptStoreException;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every SQL statement of the evolution verticle. prompt_versions mirrors the files; performance and A/B tallies
 * are recomputed from the ratings, read through the http verticle's published view rated_variants, so they can always be rebuilt and concurrent or repeated events can
 * neither lose nor double-count a sample. Changes to the current version, A/B tests and evolutions happen in
 * transactions that first lock the single evolution_state row ({@link #lockState}).
 *
 * <p>Deadlocks are ruled out by construction: every transaction that locks more than one row does so under the
 * evolution_state lock, so those transactions run one at a time, and every statement outside them changes a
 * single row ({@link #markUsed}, {@link #claimSlots}, {@link #refreshPerformance}), so it never waits while
 * holding a lock. Row locks are {@code FOR NO KEY UPDATE}: keys never change, and the training flow's inserts
 * (which take key-share locks on the prompt version and the A/B test they reference) are not held up by them.
 * A transaction that still fails with a serialization failure or a deadlock is retried
 * ({@link #retryingConflicts}).
 */
final class EvolutionQueries {

  private static final Logger LOG = LoggerFactory.getLogger(EvolutionQueries.class);

  // ---- prompt versions ----
  private static final String UPSERT_VERSION =
    "INSERT INTO prompt_versions (version, parent_version, document, created_at) VALUES ($1, $2, $3, $4)"
      + " ON CONFLICT (version) DO UPDATE SET parent_version = EXCLUDED.parent_version,"
      + " document = EXCLUDED.document, created_at = EXCLUDED.created_at";
  private static final String CURRENT_VERSION_NAME = "SELECT version FROM prompt_versions WHERE is_current";
  // Clear first, then set: the unique partial index allows one current row at any moment.
  private static final String CLEAR_CURRENT =
    "UPDATE prompt_versions SET is_current = FALSE WHERE is_current AND version <> $1";
  private static final String SET_CURRENT =
    "UPDATE prompt_versions SET is_current = TRUE WHERE version = $1 AND NOT is_current";
  private static final String CURRENT_DOCUMENT =
    "SELECT version, document, avg_rating, sample_count FROM prompt_versions WHERE is_current";
  private static final String DOCUMENTS = "SELECT version, document FROM prompt_versions WHERE version = ANY($1)";
  private static final String ALL_VERSION_NAMES = "SELECT version FROM prompt_versions";
  private static final String LOCK_VERSION =
    "SELECT version FROM prompt_versions WHERE version = $1 FOR NO KEY UPDATE";
  // Runs after LOCK_VERSION in the same transaction, so its snapshot includes every rating committed before
  // the lock was granted: two refreshes of one version can never write an older count over a newer one.
  private static final String REFRESH_PERFORMANCE =
    "UPDATE prompt_versions pv SET avg_rating = s.avg_rating, sample_count = s.sample_count, win_rate = w.win_rate,"
      + " last_used = GREATEST(pv.last_used, s.last_rated)"
      + " FROM (SELECT avg(r.rating)::float8 AS avg_rating, count(*)::int AS sample_count, max(r.rated_at) AS last_rated"
      + "   FROM rated_variants r WHERE r.prompt_version = $1) s,"
      + " (SELECT avg(CASE WHEN r.rating > r2.rating THEN 1.0 WHEN r.rating = r2.rating THEN 0.5 ELSE 0.0 END)::float8"
      + "   AS win_rate FROM rated_variants r"
      + "   JOIN rated_variants r2 ON r2.experiment_id = r.experiment_id AND r2.option <> r.option"
      + "     AND r2.prompt_version <> r.prompt_version"
      + "   WHERE r.prompt_version = $1) w"
      + " WHERE pv.version = $1";
  // One row per statement: a statement that locked several rows could deadlock with a governed transaction.
  private static final String MARK_USED =
    "UPDATE prompt_versions SET last_used = GREATEST(last_used, now()) WHERE version = $1";
  private static final String VERSIONS_WITH_PERFORMANCE =
    "SELECT version, parent_version, document, is_current, avg_rating, sample_count, win_rate, last_used, created_at"
      + " FROM prompt_versions";
  private static final String ONE_VERSION_PERFORMANCE = VERSIONS_WITH_PERFORMANCE + " WHERE version = $1";
  private static final String SET_DOCUMENT_PERFORMANCE =
    "UPDATE prompt_versions SET document = jsonb_set(document, '{performance}', $2) WHERE version = $1";

  // ---- samples ----
  private static final String ALL_SAMPLES = "SELECT count(*)::int FROM rated_variants";
  // Marks every rating not applied yet and answers how many there were and the prompt versions they rated.
  // Runs under the state lock, so two passes never claim the same rating; the ON CONFLICT only matters for a
  // second instance deployed by mistake. A rolled-back pass leaves its ratings pending.
  private static final String CLAIM_PENDING_RATINGS =
    "WITH claimed AS (INSERT INTO evolution_applied_ratings (rating_id)"
      + "   SELECT r.rating_id FROM rated_variants r"
      + "   WHERE NOT EXISTS (SELECT 1 FROM evolution_applied_ratings a WHERE a.rating_id = r.rating_id)"
      + "   ON CONFLICT (rating_id) DO NOTHING RETURNING rating_id)"
      + " SELECT r.prompt_version, count(*)::int AS n FROM claimed c JOIN rated_variants r ON r.rating_id = c.rating_id"
      + " GROUP BY r.prompt_version ORDER BY r.prompt_version";
  private static final String RECENT_COMMENTS =
    "SELECT r.rating, r.comment FROM rated_variants r"
      + " WHERE r.prompt_version = $1 ORDER BY r.rated_at DESC, r.rating_id DESC LIMIT $2";

  // ---- evolution state (the lock every governance transaction takes first) ----
  private static final String ENSURE_STATE = "INSERT INTO evolution_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING";
  private static final String STATE_COLUMNS =
    "SELECT next_evolution_at_sample, best_avg_rating, best_at_sample, last_finished_at_sample FROM evolution_state"
      + " WHERE id = 1";
  private static final String LOCK_STATE = STATE_COLUMNS + " FOR UPDATE";
  private static final String UPDATE_STATE =
    "UPDATE evolution_state SET next_evolution_at_sample = $1, best_avg_rating = $2, best_at_sample = $3,"
      + " last_finished_at_sample = $4, updated_at = now() WHERE id = 1";

  // ---- evolutions ----
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

  // ---- A/B tests ----
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

  // ---- decisions ----
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
  private static final String PARENT_OF = "SELECT parent_version FROM prompt_versions WHERE version = $1";

  static final int TRANSACTION_ATTEMPTS = 3;
  private static final String SERIALIZATION_FAILURE = "40001";
  private static final String DEADLOCK_DETECTED = "40P01";

  private final Pool pool;

  EvolutionQueries(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code work} in one transaction; a failure rolls everything back. A serialization failure or deadlock
   * runs it again, a bounded number of times.
   */
  <T> Future<T> inTransaction(String what, Function<SqlConnection, Future<T>> work) {
    return storage(what, retryingConflicts(what, () -> transaction(work)));
  }

  /** One attempt at {@code work} in a transaction, its failure as the database reported it. */
  <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for another reason than a serialization failure or a
   * deadlock (SQLSTATE 40001, 40P01), or has run {@value #TRANSACTION_ATTEMPTS} times. Either error means
   * PostgreSQL rolled the transaction back, so running it again is safe.
   */
  static <T> Future<T> retryingConflicts(String what, Supplier<Future<T>> attempt) {
    return retryingConflicts(what, attempt, 1);
  }

  private static <T> Future<T> retryingConflicts(String what, Supplier<Future<T>> attempt, int attempted) {
    return attempt.get().recover(failure -> {
      String state = conflictState(failure);
      if (state == null || attempted >= TRANSACTION_ATTEMPTS) {
        return Future.failedFuture(failure);
      }
      LOG.info("could not {} (SQLSTATE {}, attempt {} of {}); trying again", what, state, attempted,
        TRANSACTION_ATTEMPTS);
      return retryingConflicts(what, attempt, attempted + 1);
    });
  }

  /** The SQLSTATE when {@code failure} is a serialization failure or a deadlock, otherwise null. */
  static String conflictState(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof DatabaseException db
        && (SERIALIZATION_FAILURE.equals(db.getSqlState()) || DEADLOCK_DETECTED.equals(db.getSqlState()))) {
        return db.getSqlState();
      }
    }
    return null;
  }

  // ======== prompt versions ========

  /**
   * Mirrors the stored versions (parents first) and the current pointer in one transaction; the files win.
   *
   * @return the version that was current in the database before, if any
   */
  Future<Optional<String>> mirror(List<PromptVersion> parentFirst, String current) {
    List<Tuple> rows = parentFirst.stream().map(EvolutionQueries::versionRow).toList();
    return inTransaction("mirror the prompt versions", conn -> conn.query(CURRENT_VERSION_NAME).execute()
      .compose(before -> (rows.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(UPSERT_VERSION).executeBatch(rows))
        .compose(done -> setCurrent(conn, current))
        .map(done -> before.size() == 0 ? Optional.<String>empty()
          : Optional.of(before.iterator().next().getString("version")))));
  }

  Future<Void> mirrorOne(SqlConnection conn, PromptVersion version) {
    return conn.preparedQuery(UPSERT_VERSION).execute(versionRow(version)).mapEmpty();
  }

  Future<Void> setCurrent(SqlConnection conn, String version) {
    return conn.preparedQuery(CLEAR_CURRENT).execute(Tuple.of(version))
      .compose(done -> conn.preparedQuery(SET_CURRENT).execute(Tuple.of(version)))
      .mapEmpty();
  }

  private static Tuple versionRow(PromptVersion v) {
    return Tuple.of(v.name(), v.parentVersion() == null ? null : v.parentVersion().toString(),
      new JsonObject(PromptVersionJson.toCompactString(PromptVersionJson.toNode(v))),
      OffsetDateTime.ofInstant(v.createdAt(), ZoneOffset.UTC));
  }

  /**
   * Recomputes performance of the named versions from the ratings, one short transaction each (used at start,
   * before any rating is applied; the rating passes refresh inside their governed transaction).
   */
  Future<Void> refreshPerformance(Collection<String> versions) {
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions) {
      chain = chain.compose(done -> inTransaction("refresh the performance of " + version,
        conn -> conn.preparedQuery(LOCK_VERSION).execute(Tuple.of(version))
          .compose(locked -> conn.preparedQuery(REFRESH_PERFORMANCE).execute(Tuple.of(version)))
          .mapEmpty()));
    }
    return chain;
  }

  /** Recomputes performance of the named versions inside a governed transaction, in name order. */
  Future<Void> refreshPerformance(SqlConnection conn, Collection<String> versions) {
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions.stream().sorted().toList()) {
      chain = chain.compose(done -> conn.preparedQuery(REFRESH_PERFORMANCE).execute(Tuple.of(version)).mapEmpty());
    }
    return chain;
  }

  Future<Void> refreshAllPerformance() {
    return storage("list the prompt versions", pool.query(ALL_VERSION_NAMES).execute())
      .compose(rows -> {
        List<String> names = new ArrayList<>();
        rows.forEach(row -> names.add(row.getString("version")));
        return refreshPerformance(names);
      });
  }

  /** The current version's document and performance, as mirrored. */
  record CurrentVersion(String version, JsonObject document, Double avgRating, int sampleCount) {
  }

  Future<CurrentVersion> currentVersion() {
    return storage("read the current prompt version", currentVersion(pool));
  }

  Future<CurrentVersion> currentVersion(SqlClient client) {
    return client.query(CURRENT_DOCUMENT).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(BusFailure.internal("no prompt version is current"));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(new CurrentVersion(row.getString("version"), row.getJsonObject("document"),
        row.getDouble("avg_rating"), row.getInteger("sample_count")));
    });
  }

  /** Documents by version name. */
  Future<Map<String, JsonObject>> documents(Collection<String> versions) {
    return storage("read prompt versions", pool.preparedQuery(DOCUMENTS)
      .execute(Tuple.of(versions.toArray(new String[0]))))
      .map(rows -> {
        Map<String, JsonObject> documents = new HashMap<>();
        rows.forEach(row -> documents.put(row.getString("version"), row.getJsonObject("document")));
        return documents;
      });
  }

  /** Stamps last_used, one autocommitted single-row statement after the other (see the class comment). */
  Future<Void> markUsed(Collection<String> versions) {
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions) {
      chain = chain.compose(done -> pool.preparedQuery(MARK_USED).execute(Tuple.of(version)).mapEmpty());
    }
    return storage("mark prompt versions used", chain);
  }

  /** Every version with its live performance, newest first. */
  Future<JsonArray> versionsWithPerformance() {
    return storage("list the prompt versions", pool.query(VERSIONS_WITH_PERFORMANCE).execute())
      .map(rows -> {
        List<JsonObject> list = new ArrayList<>();
        rows.forEach(row -> list.add(summary(row)));
        list.sort((a, b) -> PromptVersionName.parse(b.getString("version"))
          .compareTo(PromptVersionName.parse(a.getString("version"))));
        return new JsonArray(new ArrayList<>(list));
      });
  }

  /** One version's summary, or empty when it is not mirrored. */
  Future<Optional<JsonObject>> versionSummary(String version) {
    return storage("read a prompt version", pool.preparedQuery(ONE_VERSION_PERFORMANCE).execute(Tuple.of(version)))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(summary(rows.iterator().next())));
  }

  /** Keeps the mirrored document equal to the file after its performance block was refreshed. */
  Future<Void> setDocumentPerformance(String version, JsonObject performance) {
    return storage("store the performance of " + version,
      pool.preparedQuery(SET_DOCUMENT_PERFORMANCE).execute(Tuple.of(version, performance))).mapEmpty();
  }

  Future<String> parentOf(SqlConnection conn, String version) {
    return conn.preparedQuery(PARENT_OF).execute(Tuple.of(version))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("parent_version"));
  }

  // ======== samples ========

  Future<Integer> samplesCollected() {
    return storage("count the samples", samplesCollected(pool));
  }

  Future<Integer> samplesCollected(SqlClient client) {
    return client.query(ALL_SAMPLES).execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Ratings a pass has just marked as applied: how many, and the prompt versions they rated (in name order). */
  record ClaimedRatings(int count, List<String> versions) {
  }

  /** Marks every pending rating as applied, inside a governed transaction (see CLAIM_PENDING_RATINGS). */
  Future<ClaimedRatings> claimPendingRatings(SqlConnection conn) {
    return conn.query(CLAIM_PENDING_RATINGS).execute().map(rows -> {
      int count = 0;
      List<String> versions = new ArrayList<>();
      for (Row row : rows) {
        count += row.getInteger("n");
        versions.add(row.getString("prompt_version"));
      }
      return new ClaimedRatings(count, versions);
    });
  }

  /** The latest rated samples of a version, newest first. */
  Future<List<RatedComment>> recentComments(String version, int limit) {
    return storage("read the recent comments", pool.preparedQuery(RECENT_COMMENTS).execute(Tuple.of(version, limit)))
      .map(rows -> {
        List<RatedComment> comments = new ArrayList<>();
        rows.forEach(row -> comments.add(new RatedComment(row.getInteger("rating"), row.getString("comment"))));
        return comments;
      });
  }

  // ======== evolution state ========

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

  // ======== evolutions ========

  Future<Optional<JsonObject>> runningEvolution(SqlClient client) {
    return client.query(RUNNING_EVOLUTION).execute()
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(evolution(rows.iterator().next())));
  }

  Future<Optional<JsonObject>> runningEvolution() {
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

  Future<JsonObject> evolution(long id) {
    return storage("read an evolution", pool.preparedQuery(EVOLUTION_BY_ID).execute(Tuple.of(id)))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(BusFailure.notFound("no evolution " + id))
        : Future.succeededFuture(evolution(rows.iterator().next())));
  }

  Future<JsonArray> evolutions(int limit) {
    return storage("list the evolutions", pool.preparedQuery(EVOLUTION_HISTORY).execute(Tuple.of(limit)))
      .map(rows -> list(rows, EvolutionQueries::evolution));
  }

  Future<String> lastEvolutionStart() {
    return storage("read the last evolution", pool.query(LAST_EVOLUTION_START).execute())
      .map(rows -> iso(rows.iterator().next().getOffsetDateTime("last")));
  }

  private static JsonObject evolution(Row row) {
    return new JsonObject()
      .put("id", row.getLong("id"))
      .put("trigger", row.getString("trigger"))
      .put("status", row.getString("status"))
      .put("parent_version", row.getString("parent_version"))
      .put("candidate_version", row.getString("candidate_version"))
      .put("provider", row.getString("provider"))
      .put("model", row.getString("model"))
      .put("at_sample", row.getInteger("at_sample"))
      .put("parent_avg_rating", row.getDouble("parent_avg_rating"))
      .put("issues", row.getJsonArray("issues"))
      .put("proposal", row.getJsonObject("proposal"))
      .put("reason", row.getString("reason"))
      .put("requested_by", row.getString("requested_by"))
      .put("started_at", iso(row.getOffsetDateTime("started_at")))
      .put("finished_at", iso(row.getOffsetDateTime("finished_at")))
      .put("ab_test_id", row.getLong("ab_test_id"));
  }

  // ======== A/B tests ========

  /** An A/B test row; tallies as stored at the last refresh. */
  record AbTest(long id, Long evolutionId, String control, String candidate, String status, int samplesPerArm,
                ArmTally controlTally, ArmTally candidateTally, JsonObject json) {

    boolean running() {
      return "running".equals(status);
    }
  }

  /** The open (running or awaiting review) A/B test, locked for the rest of the transaction. */
  Future<Optional<AbTest>> lockOpenAbTest(SqlConnection conn) {
    return conn.query(LOCK_OPEN_AB_TEST).execute()
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(abTest(rows.iterator().next())));
  }

  Future<Optional<AbTest>> openAbTest() {
    return storage("read the open A/B test", pool.query(OPEN_AB_TEST).execute())
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(abTest(rows.iterator().next())));
  }

  Future<JsonArray> abTests(String status, int limit) {
    return storage("list the A/B tests", pool.preparedQuery(AB_TEST_LIST).execute(Tuple.of(status, limit)))
      .map(rows -> list(rows, row -> abTest(row).json()));
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
    JsonObject json = new JsonObject()
      .put("id", row.getLong("id"))
      .put("evolution_id", row.getLong("evolution_id"))
      .put("control_version", row.getString("control_version"))
      .put("candidate_version", row.getString("candidate_version"))
      .put("status", row.getString("status"))
      .put("samples_per_arm", row.getInteger("samples_per_arm"))
      .put("slots_assigned", row.getLong("slots_assigned"))
      .put("control", arm(control))
      .put("candidate", arm(candidate))
      .put("outcome", row.getString("outcome"))
      .put("result", row.getJsonObject("result"))
      .put("started_at", iso(row.getOffsetDateTime("started_at")))
      .put("ended_at", iso(row.getOffsetDateTime("ended_at")));
    return new AbTest(row.getLong("id"), row.getLong("evolution_id"), row.getString("control_version"),
      row.getString("candidate_version"), row.getString("status"), row.getInteger("samples_per_arm"), control,
      candidate, json);
  }

  static JsonObject arm(ArmTally tally) {
    return new JsonObject().put("count", tally.count())
      .put("avg_rating", tally.mean() == null ? null : Math.round(tally.mean() * 10_000) / 10_000.0)
      .put("sd", tally.standardDeviation() == null ? null : Math.round(tally.standardDeviation() * 10_000) / 10_000.0);
  }

  // ======== decisions ========

  /** A decision to record. */
  record Decision(String kind, Long abTestId, String from, String to, String outcome, JsonObject statistics,
                  String decidedBy, String reason) {
  }

  Future<JsonObject> insertDecision(SqlConnection conn, Decision d) {
    return conn.preparedQuery(INSERT_DECISION).execute(Tuple.from(new Object[] {d.kind(), d.abTestId(), d.from(),
        d.to(), d.outcome(), d.statistics() == null ? new JsonObject() : d.statistics(), d.decidedBy(),
        bounded(d.reason())}))
      .map(rows -> decision(rows.iterator().next()));
  }

  Future<JsonArray> decisions(int limit) {
    return storage("list the decisions", pool.preparedQuery(DECISIONS).execute(Tuple.of(limit)))
      .map(rows -> list(rows, EvolutionQueries::decision));
  }

  Future<String> previousCurrent(SqlConnection conn, String current) {
    return conn.preparedQuery(PREVIOUS_CURRENT).execute(Tuple.of(current))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("from_version"));
  }

  private static JsonObject decision(Row row) {
    return new JsonObject()
      .put("id", row.getLong("id"))
      .put("kind", row.getString("kind"))
      .put("ab_test_id", row.getLong("ab_test_id"))
      .put("from_version", row.getString("from_version"))
      .put("to_version", row.getString("to_version"))
      .put("outcome", row.getString("outcome"))
      .put("statistics", row.getJsonObject("statistics"))
      .put("decided_by", row.getString("decided_by"))
      .put("reason", row.getString("reason"))
      .put("decided_at", iso(row.getOffsetDateTime("decided_at")));
  }

  // ======== helpers ========

  private static JsonObject summary(Row row) {
    JsonObject document = row.getJsonObject("document");
    JsonObject metadata = document.getJsonObject("metadata", new JsonObject());
    return new JsonObject()
      .put("version", row.getString("version"))
      .put("parent_version", row.getString("parent_version"))
      .put("created_at", iso(row.getOffsetDateTime("created_at")))
      .put("created_by", document.getString("created_by"))
      .put("description", metadata.getString("description"))
      .put("tags", metadata.getJsonArray("tags", new JsonArray()))
      .put("is_current", row.getBoolean("is_current"))
      .put("performance", performance(row));
  }

  static JsonObject performance(Row row) {
    return new JsonObject()
      .put("avg_rating", row.getDouble("avg_rating"))
      .put("sample_count", row.getInteger("sample_count"))
      .put("win_rate", row.getDouble("win_rate"))
      .put("last_used", iso(row.getOffsetDateTime("last_used")));
  }

  private static JsonArray list(RowSet<Row> rows, Function<Row, JsonObject> mapper) {
    JsonArray list = new JsonArray();
    rows.forEach(row -> list.add(mapper.apply(row)));
    return list;
  }

  static String iso(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  private static String bounded(String text) {
    return text == null || text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
  }

  /** Turns any database failure into STORAGE_FAILED with a sentence saying what could not be done. */
  static <T> Future<T> storage(String what, Future<T> future) {
    return future.recover(failure -> {
      if (failure instanceof BusFailure) {
        return Future.failedFuture(failure);
      }
      LOG.error("database failure: could not {}", what, failure);
      return Future.failedFuture(BusFailure.storage("the database could not " + what));
    });
  }
}
