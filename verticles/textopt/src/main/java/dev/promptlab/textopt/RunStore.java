package dev.promptlab.textopt;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.contract.TextRunPromoted;
import dev.promptlab.contract.TextRunRequest;
import dev.promptlab.contract.TextRunSettings;
import dev.promptlab.textopt.run.CandidateOrder.RankedCandidate;
import dev.promptlab.textopt.run.PastCandidate;
import dev.promptlab.textopt.run.PromptState;
import dev.promptlab.textopt.run.RunRow;
import dev.promptlab.textopt.run.StoredAnswer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of runs: the textopt verticle writes {@code textopt_runs}, {@code textopt_iterations},
 * {@code textopt_candidates} and {@code textopt_answers}, and the optimizer's candidates as versions of
 * {@code textopt_prompt_versions}. Each step's outcome is written in one statement or one transaction, so a run read
 * back after a stop is at the end of some step, never in the middle of one.
 */
final class RunStore {

  /** A run as its loop needs it. */
  record RunState(long id, TextRunSettings settings, int startVersion, String status, Integer bestVersion,
                  JsonObject bestMetrics, int staleIterations, BigDecimal costUsd, long tokens, String createdBy) {
  }

  /** An iteration as stored, with its candidates in evaluation order. */
  record IterationState(int n, int promptVersion, JsonObject metrics, List<TextRunFailure> failures, String step,
                        double costUsd, long tokens, List<CandidateState> candidates) {
  }

  /** A stored candidate. */
  record CandidateState(int ordinal, int rank, int promptVersion, PromptState state, Double predictedGain,
                        JsonObject metrics, boolean accepted) {
  }

  /** What a run has spent after an answer or call was added. */
  record Spent(BigDecimal costUsd, long tokens, int stepDone) {
  }

  private static final String RUN_COLUMNS = "id, dataset_id, prompt_id, start_version, target_metric,"
    + " metric_options::text AS metric_options, target_threshold, patience, max_iterations, candidates_per_iteration,"
    + " budget_usd, margin, status, stop_reason, best_version, best_metrics::text AS best_metrics, stale_iterations,"
    + " cost_usd, tokens, step, step_done, step_total, error, created_by, created_at, finished_at";

  private static final String CURRENT_VERSION = "SELECT current_version FROM textopt_prompts WHERE id = $1"
    + " AND deleted_at IS NULL";
  private static final String DATASET_EXISTS = "SELECT 1 FROM textopt_datasets WHERE id = $1";
  private static final String INSERT_RUN = "INSERT INTO textopt_runs (dataset_id, prompt_id, start_version,"
    + " target_metric, metric_options, target_threshold, patience, max_iterations, candidates_per_iteration,"
    + " budget_usd, margin, created_by) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $12)"
    + " RETURNING id";

  // SKIP LOCKED: two verticles sharing a database never claim the same run.
  private static final String CLAIM_NEXT = "UPDATE textopt_runs SET status = 'running', started_at = now()"
    + " WHERE id = (SELECT id FROM textopt_runs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
    + " RETURNING id";
  private static final String RUNNING = "SELECT id FROM textopt_runs WHERE status = 'running' ORDER BY id";

  private static final String SELECT_RUN = "SELECT " + RUN_COLUMNS + " FROM textopt_runs WHERE id = $1";
  private static final String SELECT_LATEST = "SELECT " + RUN_COLUMNS + " FROM textopt_runs"
    + " ORDER BY id DESC LIMIT $1";

  private static final String ROWS = "SELECT ordinal, coalesce(row_id, line::text) AS id, input, expected, split"
    + " FROM textopt_dataset_rows WHERE dataset_id = $1 ORDER BY ordinal";
  private static final String VERSION = "SELECT system_prompt, output_prompt FROM textopt_prompt_versions"
    + " WHERE prompt_id = $1 AND version = $2";

  private static final String ANSWERS = "SELECT row_ordinal, answer, score, explanation FROM textopt_answers"
    + " WHERE run_id = $1 AND prompt_version = $2";
  // One statement: the answer, and what it cost added to its iteration and its run, or nothing at all when the
  // answer was stored already (a call that raced a resume).
  private static final String SAVE_ANSWER = "WITH a AS (INSERT INTO textopt_answers (run_id, prompt_version,"
    + " row_ordinal, answer, score, explanation, cached, cost_usd, tokens) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    + " ON CONFLICT DO NOTHING RETURNING 1),"
    + " i AS (UPDATE textopt_iterations SET cost_usd = cost_usd + $8, tokens = tokens + $9"
    + " WHERE run_id = $1 AND n = $10 AND EXISTS (SELECT 1 FROM a))"
    + " UPDATE textopt_runs SET cost_usd = cost_usd + $8, tokens = tokens + $9,"
    + " step_done = step_done + CASE WHEN EXISTS (SELECT 1 FROM a) THEN 1 ELSE 0 END"
    + " WHERE id = $1 RETURNING cost_usd, tokens, step_done";
  private static final String ADD_COST = "WITH i AS (UPDATE textopt_iterations SET cost_usd = cost_usd + $3,"
    + " tokens = tokens + $4 WHERE run_id = $1 AND n = $2)"
    + " UPDATE textopt_runs SET cost_usd = cost_usd + $3, tokens = tokens + $4 WHERE id = $1"
    + " RETURNING cost_usd, tokens, step_done";

  private static final String STEP = "UPDATE textopt_runs SET step = $2, step_done = $3, step_total = $4"
    + " WHERE id = $1 AND status = 'running'";

  private static final String OPEN_ITERATION = "INSERT INTO textopt_iterations (run_id, n, prompt_version)"
    + " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
  private static final String ITERATIONS = "SELECT n, prompt_version, metrics::text AS metrics,"
    + " failures::text AS failures, step, cost_usd, tokens FROM textopt_iterations WHERE run_id = $1 ORDER BY n";
  private static final String CANDIDATES = "SELECT c.n, c.ordinal, c.rank, c.prompt_version, c.predicted_gain,"
    + " c.metrics::text AS metrics, c.accepted, v.system_prompt, v.output_prompt FROM textopt_candidates c"
    + " JOIN textopt_runs r ON r.id = c.run_id JOIN textopt_prompt_versions v ON v.prompt_id = r.prompt_id"
    + " AND v.version = c.prompt_version WHERE c.run_id = $1 ORDER BY c.n, c.rank";

  // The meta-model's history: evaluated candidates of every run with this metric, newest first (the latest are kept),
  // each with the incumbent it rewrote, the failures it was written from and how many candidates its iteration had
  // (ordinals are 1..count, as the proposal check numbers them).
  private static final String PAST_CANDIDATES = "SELECT c.run_id, c.ordinal, c.n,"
    + " (SELECT count(*) FROM textopt_candidates k WHERE k.run_id = c.run_id AND k.n = c.n) AS proposals,"
    + " (c.metrics ->> $1)::float8 AS score, (i.metrics ->> $1)::float8 AS parent_score,"
    + " i.failures::text AS failures, pv.system_prompt AS parent_system, pv.output_prompt AS parent_output,"
    + " cv.system_prompt, cv.output_prompt FROM textopt_candidates c"
    + " JOIN textopt_iterations i ON i.run_id = c.run_id AND i.n = c.n JOIN textopt_runs r ON r.id = c.run_id"
    + " JOIN textopt_prompt_versions pv ON pv.prompt_id = r.prompt_id AND pv.version = i.prompt_version"
    + " JOIN textopt_prompt_versions cv ON cv.prompt_id = r.prompt_id AND cv.version = c.prompt_version"
    + " WHERE r.target_metric = $1 AND c.metrics ->> $1 IS NOT NULL AND i.metrics ->> $1 IS NOT NULL"
    + " ORDER BY c.run_id DESC, c.n DESC, c.ordinal DESC LIMIT $2";

  private static final String SCORED = "UPDATE textopt_iterations SET metrics = $3::text::jsonb,"
    + " failures = $4::text::jsonb, step = 'optimisation' WHERE run_id = $1 AND n = $2 AND step = 'inference'";
  private static final String FIRST_BEST = "UPDATE textopt_runs SET best_version = $2, best_metrics = $3::text::jsonb"
    + " WHERE id = $1 AND best_version IS NULL";

  // The prompt's row orders new versions; the newest is read by the next statement, which sees what a change that
  // held the lock before committed.
  private static final String LOCK_PROMPT = "SELECT id FROM textopt_prompts WHERE id = $1 FOR UPDATE";
  private static final String LAST_VERSION = "SELECT max(version) AS last FROM textopt_prompt_versions"
    + " WHERE prompt_id = $1";
  private static final String INSERT_VERSION = "INSERT INTO textopt_prompt_versions (prompt_id, version,"
    + " system_prompt, output_prompt, parent_version, origin, created_by)"
    + " VALUES ($1, $2, $3, $4, $5, 'optimizer', $6)";
  private static final String INSERT_CANDIDATE = "INSERT INTO textopt_candidates (run_id, n, ordinal, rank,"
    + " prompt_version, rationale, predicted_gain) VALUES ($1, $2, $3, $4, $5, $6, $7)";
  private static final String PROPOSED = "UPDATE textopt_iterations SET step = 'candidates' WHERE run_id = $1"
    + " AND n = $2 AND step = 'optimisation'";

  private static final String CANDIDATE_SCORED = "UPDATE textopt_candidates SET metrics = $4::text::jsonb"
    + " WHERE run_id = $1 AND n = $2 AND ordinal = $3";

  private static final String ACCEPT = "UPDATE textopt_candidates SET accepted = true WHERE run_id = $1 AND n = $2"
    + " AND ordinal = $3";
  private static final String DECIDED = "UPDATE textopt_iterations SET step = 'decided', decided_at = now()"
    + " WHERE run_id = $1 AND n = $2 AND step = 'candidates'";
  private static final String NEW_BEST = "UPDATE textopt_runs SET best_version = $2, best_metrics = $3::text::jsonb,"
    + " stale_iterations = $4 WHERE id = $1";

  private static final String FINISH = "UPDATE textopt_runs SET status = $2, stop_reason = $3, error = $4,"
    + " finished_at = now(), step = 'finished', step_done = 0, step_total = 0 WHERE id = $1 AND status = 'running'"
    + " RETURNING id";
  private static final String CANCEL = "UPDATE textopt_runs r SET status = 'cancelled', stop_reason = 'cancelled',"
    + " finished_at = now(), step = 'finished', step_done = 0, step_total = 0"
    + " FROM (SELECT id, status FROM textopt_runs WHERE id = $1 FOR UPDATE) old"
    + " WHERE r.id = old.id AND old.status IN ('queued', 'running') RETURNING old.status AS was";

  private static final String LOCK_FOR_PROMOTE = "SELECT r.best_version, p.current_version FROM textopt_runs r"
    + " JOIN textopt_prompts p ON p.id = r.prompt_id AND p.deleted_at IS NULL WHERE r.id = $1 FOR UPDATE OF p";
  private static final String PROMOTE = "UPDATE textopt_prompts SET current_version = $2, updated_at = now()"
    + " WHERE id = $1";

  private final Pool pool;

  RunStore(Pool pool) {
    this.pool = pool;
  }

  /** A queued run starting from the prompt's current version; NOT_FOUND for an unknown dataset or prompt. */
  Future<Long> create(TextRunRequest request) {
    TextRunSettings s = request.settings();
    return pool.withTransaction(connection -> connection.preparedQuery(DATASET_EXISTS).execute(Tuple.of(s.datasetId()))
      .compose(found -> found.size() == 0 ? Future.failedFuture(BusFailure.notFound("no dataset " + s.datasetId()))
        : connection.preparedQuery(CURRENT_VERSION).execute(Tuple.of(s.promptId())))
      .compose(found -> found.size() == 0 ? Future.failedFuture(BusFailure.notFound("no text prompt " + s.promptId()))
        : connection.preparedQuery(INSERT_RUN).execute(Tuple.from(new Object[] {s.datasetId(), s.promptId(),
          found.iterator().next().getInteger("current_version"), s.targetMetric(), s.metricOptions().encode(),
          s.targetThreshold(), s.patience(), s.maxIterations(), s.candidatesPerIteration(),
          s.budgetUsd() == null ? null : Numeric.create(new BigDecimal(s.budgetUsd().toString())), s.margin(),
          request.requestedBy()})))
      .map(rows -> rows.iterator().next().getLong("id")));
  }

  /** The oldest queued run, now running, or empty when none waits. */
  Future<Optional<Long>> claimNext() {
    return pool.query(CLAIM_NEXT).execute().map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(rows.iterator().next().getLong("id")));
  }

  /** Runs left running by a verticle that stopped, oldest first. */
  Future<List<Long>> running() {
    return pool.query(RUNNING).execute().map(rows -> {
      List<Long> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getLong("id")));
      return ids;
    });
  }

  Future<RunState> state(long id) {
    return pool.preparedQuery(SELECT_RUN).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(BusFailure.notFound("no run " + id));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(new RunState(id, RunDocuments.settings(row), row.getInteger("start_version"),
        row.getString("status"), row.getInteger("best_version"), RunDocuments.json(row.getString("best_metrics")),
        row.getInteger("stale_iterations"), row.getBigDecimal("cost_usd"), row.getLong("tokens"),
        row.getString("created_by")));
    });
  }

  Future<List<RunRow>> rows(long datasetId) {
    return pool.preparedQuery(ROWS).execute(Tuple.of(datasetId)).map(rows -> {
      List<RunRow> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new RunRow(row.getInteger("ordinal"), row.getString("id"), row.getString("input"),
        row.getString("expected"), "eval".equals(row.getString("split")))));
      return list;
    });
  }

  Future<PromptState> version(long promptId, int version) {
    return pool.preparedQuery(VERSION).execute(Tuple.of(promptId, version)).map(rows -> {
      Row row = rows.iterator().next();
      return new PromptState(row.getString("system_prompt"), row.getString("output_prompt"));
    });
  }

  /** A version's answers within a run, by row ordinal. */
  Future<Map<Integer, StoredAnswer>> answers(long runId, int version) {
    return pool.preparedQuery(ANSWERS).execute(Tuple.of(runId, version)).map(rows -> {
      Map<Integer, StoredAnswer> answers = new HashMap<>();
      rows.forEach(row -> answers.put(row.getInteger("row_ordinal"), new StoredAnswer(row.getInteger("row_ordinal"),
        row.getString("answer"), row.getDouble("score"), row.getString("explanation"))));
      return answers;
    });
  }

  Future<Spent> saveAnswer(long runId, int n, int version, StoredAnswer answer, boolean cached, BigDecimal costUsd,
                           int tokens) {
    return pool.preparedQuery(SAVE_ANSWER).execute(Tuple.from(new Object[] {runId, version, answer.ordinal(),
      answer.answer(), answer.score(), answer.explanation(), cached, Numeric.create(costUsd), tokens, n}))
      .map(RunStore::spent);
  }

  /** Adds an optimizer call's cost to its iteration and run. */
  Future<Spent> addCost(long runId, int n, BigDecimal costUsd, int tokens) {
    return pool.preparedQuery(ADD_COST).execute(Tuple.of(runId, n, Numeric.create(costUsd), tokens))
      .map(RunStore::spent);
  }

  private static Spent spent(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    return new Spent(row.getBigDecimal("cost_usd"), row.getLong("tokens"), row.getInteger("step_done"));
  }

  Future<Void> step(long runId, String step, int done, int total) {
    return pool.preparedQuery(STEP).execute(Tuple.of(runId, step, done, total)).mapEmpty();
  }

  /** The run's iterations, oldest first, opening iteration {@code n} from {@code version} if it is not stored. */
  Future<List<IterationState>> openIteration(long runId, int n, int version) {
    return pool.preparedQuery(OPEN_ITERATION).execute(Tuple.of(runId, n, version))
      .compose(v -> iterations(runId));
  }

  Future<List<IterationState>> iterations(long runId) {
    return pool.preparedQuery(ITERATIONS).execute(Tuple.of(runId))
      .compose(its -> pool.preparedQuery(CANDIDATES).execute(Tuple.of(runId)).map(cs -> {
        Map<Integer, List<CandidateState>> byIteration = new HashMap<>();
        cs.forEach(row -> byIteration.computeIfAbsent(row.getInteger("n"), k -> new ArrayList<>())
          .add(new CandidateState(row.getInteger("ordinal"), row.getInteger("rank"), row.getInteger("prompt_version"),
            new PromptState(row.getString("system_prompt"), row.getString("output_prompt")),
            row.getDouble("predicted_gain"), RunDocuments.json(row.getString("metrics")), row.getBoolean("accepted"))));
        List<IterationState> list = new ArrayList<>();
        its.forEach(row -> list.add(new IterationState(row.getInteger("n"), row.getInteger("prompt_version"),
          RunDocuments.json(row.getString("metrics")), RunDocuments.failures(row.getString("failures")), row.getString("step"),
          row.getBigDecimal("cost_usd").doubleValue(), row.getLong("tokens"), byIteration.getOrDefault(row.getInteger("n"), List.of()))));
        return list;
      }));
  }

  /** The latest {@code limit} evaluated candidates of runs scored by {@code metric}, oldest first. */
  Future<List<PastCandidate>> pastCandidates(String metric, int limit) {
    return pool.preparedQuery(PAST_CANDIDATES).execute(Tuple.of(metric, limit)).map(rows -> {
      List<PastCandidate> list = new ArrayList<>(rows.size());
      rows.forEach(row -> {
        double parentScore = row.getDouble("parent_score");
        list.add(new PastCandidate(row.getLong("run_id"),
          new PromptState(row.getString("parent_system"), row.getString("parent_output")),
          new PromptState(row.getString("system_prompt"), row.getString("output_prompt")),
          RunDocuments.failures(row.getString("failures")), parentScore, row.getInteger("n"), row.getInteger("ordinal") - 1,
          row.getLong("proposals").intValue(), row.getDouble("score") - parentScore));
      });
      Collections.reverse(list);
      return list;
    });
  }

  /** The incumbent's scores and failures of iteration {@code n}; the first scores are the run's first best. */
  Future<Void> scored(long runId, int n, int version, JsonObject metrics, List<TextRunFailure> failures) {
    JsonArray shown = new JsonArray();
    failures.forEach(f -> shown.add(f.toJson()));
    return pool.withTransaction(connection -> connection.preparedQuery(SCORED)
      .execute(Tuple.of(runId, n, metrics.encode(), shown.encode()))
      .compose(v -> connection.preparedQuery(FIRST_BEST).execute(Tuple.of(runId, version, metrics.encode())))
      .mapEmpty());
  }

  /**
   * Stores the proposal of iteration {@code n}: each candidate as a new version of the prompt (origin
   * {@code optimizer}, parent the incumbent, not current), in evaluation order, and the iteration's step moves on.
   */
  Future<Void> propose(long runId, int n, long promptId, int parentVersion, List<RankedCandidate> ranked,
                       String createdBy) {
    return pool.withTransaction(connection -> connection.preparedQuery(LOCK_PROMPT).execute(Tuple.of(promptId))
      .compose(locked -> connection.preparedQuery(LAST_VERSION).execute(Tuple.of(promptId)))
      .compose(rows -> {
        int next = rows.iterator().next().getInteger("last") + 1;
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < ranked.size(); i++) {
          RankedCandidate candidate = ranked.get(i);
          int version = next + i;
          int rank = i + 1;
          chain = chain.compose(v -> insertCandidate(connection, runId, n, promptId, parentVersion, version, rank,
            candidate, createdBy));
        }
        return chain;
      })
      .compose(v -> connection.preparedQuery(PROPOSED).execute(Tuple.of(runId, n)))
      .mapEmpty());
  }

  private static Future<Void> insertCandidate(SqlConnection connection, long runId, int n, long promptId, int parent,
                                              int version, int rank, RankedCandidate ranked, String createdBy) {
    PromptState state = ranked.candidate().state();
    return connection.preparedQuery(INSERT_VERSION).execute(Tuple.of(promptId, version, state.systemPrompt(),
        state.outputPrompt(), parent, createdBy))
      .compose(v -> connection.preparedQuery(INSERT_CANDIDATE).execute(Tuple.of(runId, n,
        ranked.candidate().ordinal(), rank, version, ranked.candidate().rationale(), ranked.predictedGain())))
      .mapEmpty();
  }

  Future<Void> candidateScored(long runId, int n, int ordinal, JsonObject metrics) {
    return pool.preparedQuery(CANDIDATE_SCORED).execute(Tuple.of(runId, n, ordinal, metrics.encode())).mapEmpty();
  }

  /**
   * The decision of iteration {@code n}: the accepted candidate (or none), the run's best version after it and the
   * count of iterations in a row without an accepted candidate, in one transaction.
   */
  Future<Void> decide(long runId, int n, Integer acceptedOrdinal, int bestVersion, JsonObject bestMetrics,
                      int staleIterations) {
    return pool.withTransaction(connection -> (acceptedOrdinal == null ? Future.<Void>succeededFuture()
        : connection.preparedQuery(ACCEPT).execute(Tuple.of(runId, n, acceptedOrdinal)).<Void>mapEmpty())
      .compose(v -> connection.preparedQuery(DECIDED).execute(Tuple.of(runId, n)))
      .compose(v -> connection.preparedQuery(NEW_BEST).execute(Tuple.of(runId, bestVersion, bestMetrics.encode(),
        staleIterations)))
      .mapEmpty());
  }

  /** Ends a running run; false when it was no longer running (cancelled meanwhile). */
  Future<Boolean> finish(long runId, String status, String stopReason, String error) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(runId, status, stopReason, error)).map(rows -> rows.size() > 0);
  }

  /** Cancels a queued or running run and answers its status before; CONFLICT when it has ended, NOT_FOUND when unknown. */
  Future<String> cancel(long runId) {
    return pool.preparedQuery(CANCEL).execute(Tuple.of(runId)).compose(rows -> rows.size() > 0
      ? Future.succeededFuture(rows.iterator().next().getString("was"))
      : show(runId).compose(run -> Future.failedFuture(BusFailure.conflict("run " + runId + " has already ended ("
        + run.status() + ")"))));
  }

  /** Makes the run's best version its prompt's current one. */
  Future<TextRunPromoted> promote(long runId) {
    return pool.withTransaction(connection -> connection.preparedQuery(LOCK_FOR_PROMOTE).execute(Tuple.of(runId))
      .compose(rows -> {
        if (rows.size() == 0) {
          return show(runId).compose(run -> Future.failedFuture(BusFailure.conflict("the prompt of run " + runId
            + " was deleted")));
        }
        Row row = rows.iterator().next();
        Integer best = row.getInteger("best_version");
        if (best == null) {
          return Future.failedFuture(BusFailure.conflict("run " + runId + " has no best version yet"));
        }
        int previous = row.getInteger("current_version");
        return state(runId).compose(run -> connection.preparedQuery(PROMOTE)
          .execute(Tuple.of(run.settings().promptId(), best))
          .map(v -> new TextRunPromoted(runId, run.settings().promptId(), best, previous)));
      }));
  }

  /** One run with its iterations; NOT_FOUND when unknown. */
  Future<TextRun> show(long runId) {
    return pool.preparedQuery(SELECT_RUN).execute(Tuple.of(runId)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(BusFailure.notFound("no run " + runId))
      : iterations(runId).map(its -> RunDocuments.run(rows.iterator().next(), its.stream().map(RunDocuments::iteration).toList())));
  }

  Future<List<TextRun>> latest(int limit) {
    return pool.preparedQuery(SELECT_LATEST).execute(Tuple.of(limit)).map(rows -> {
      List<TextRun> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(RunDocuments.run(row, List.of())));
      return list;
    });
  }
}
