package dev.promptlab.optimizer;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.optimizer.study.ModelState;
import dev.promptlab.optimizer.study.PredictedSample;
import dev.promptlab.optimizer.study.RatedSample;
import dev.promptlab.optimizer.study.Study;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All SQL of the optimizer: studies (phase 1, warm state, how far they have read the ratings), the observations
 * they learn from and their pending suggestions. The optimizer owns the three tables; ratings come from the http verticle's published view
 * {@code rated_variants}, read after each study's high-water mark ({@link #catchUp}); the reward model's predictions
 * of unshown best-of-N candidates from its view {@code unrated_predictions} ({@link #newestPredictions}).
 */
final class StudyStore {

  /** A study's stored row. */
  record StoredStudy(String study, String phase1Reason, ModelState modelState) {
  }

  /**
   * One catch-up step: the observations newly stored (in rating id order), the study's mark afterwards, and
   * whether the batch was full (more ratings may be waiting).
   */
  record CaughtUp(List<RatedSample> learnt, long throughRatingId, boolean more) {
  }

  private static final String ENSURE_STUDY =
    "INSERT INTO optimizer_studies (study) VALUES ($1) ON CONFLICT (study) DO NOTHING";
  private static final String LOAD_STUDIES =
    "SELECT study, phase1_reason, model_state FROM optimizer_studies";
  private static final String LOAD_OBSERVATIONS =
    "SELECT study, api, strength, guidance_scale, control_weight, rating, rater, prompt_version, experiment_id, ab_test"
      + " FROM optimizer_observations ORDER BY id";
  private static final String SAVE_PHASE1 =
    "UPDATE optimizer_studies SET phase1_reason = $2::text, "
      + "phase1_completed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE COALESCE(phase1_completed_at, now()) END, "
      + "updated_at = now() WHERE study = $1";
  // The mark row is locked for the whole step, so two steps of one study (or a second instance by mistake) never
  // read the same ratings; an observation already stored for a rating is skipped (rating_id is UNIQUE), never doubled.
  private static final String LOCK_MARK =
    "SELECT observed_through_rating_id FROM optimizer_studies WHERE study = $1 FOR UPDATE";
  private static final String RATINGS_AFTER_MARK =
    "SELECT rating_id, api, strength, guidance_scale, control_weight, rating, rated_by, prompt_version, experiment_id,"
      + " ab_test_id IS NOT NULL AS ab_test FROM rated_variants WHERE mode = $1 AND rating_id > $2"
      + " ORDER BY rating_id LIMIT $3";
  private static final String INSERT_OBSERVATION =
    "INSERT INTO optimizer_observations (study, rating_id, api, strength, guidance_scale, control_weight, rating, rater,"
      + " prompt_version, experiment_id, ab_test) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
      + " ON CONFLICT (rating_id) DO NOTHING RETURNING rating_id";
  private static final String SAVE_MARK =
    "UPDATE optimizer_studies SET observed_through_rating_id = $2, updated_at = now() WHERE study = $1";
  private static final String NEWEST_PREDICTIONS =
    "SELECT api, strength, guidance_scale, control_weight, predicted_rating, uncertainty, prompt_version"
      + " FROM unrated_predictions WHERE mode = $1 ORDER BY candidate_id DESC LIMIT $2";
  private static final String SAVE_MODEL_STATE =
    "UPDATE optimizer_studies SET model_state = $2, updated_at = now() WHERE study = $1";

  private static final String LOAD_PENDING =
    "SELECT study, api, strength, guidance_scale, control_weight, expires_at FROM optimizer_pending"
      + " ORDER BY study, position";
  private static final String CLEAR_PENDING = "DELETE FROM optimizer_pending WHERE study = $1";
  private static final String INSERT_PENDING =
    "INSERT INTO optimizer_pending (study, position, api, strength, guidance_scale, control_weight, expires_at)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7)";

  private final Pool pool;

  StudyStore(Pool pool) {
    this.pool = pool;
  }

  /** Makes sure every mode has its study row (the migration seeds them; this keeps a hand-cleaned table usable). */
  Future<Void> ensureStudies() {
    List<Tuple> rows = ParameterSpace.MODES.stream().map(Tuple::of).toList();
    return pool.preparedQuery(ENSURE_STUDY).executeBatch(rows).mapEmpty();
  }

  Future<Map<String, StoredStudy>> loadStudies() {
    return pool.query(LOAD_STUDIES).execute().map(rows -> {
      Map<String, StoredStudy> studies = new HashMap<>();
      for (Row row : rows) {
        String study = row.getString("study");
        studies.put(study, new StoredStudy(study, row.getString("phase1_reason"),
          modelState(row.getValue("model_state"))));
      }
      return studies;
    });
  }

  /** Every observation, per study, in the order it was stored. */
  Future<Map<String, List<RatedSample>>> loadObservations() {
    return pool.query(LOAD_OBSERVATIONS).execute().map(rows -> {
      Map<String, List<RatedSample>> byStudy = new HashMap<>();
      for (Row row : rows) {
        byStudy.computeIfAbsent(row.getString("study"), s -> new ArrayList<>())
          .add(new RatedSample(new Observation(parameters(row), row.getDouble("rating"), row.getString("rater")),
            row.getString("prompt_version"), row.getString("experiment_id"), row.getBoolean("ab_test")));
      }
      return byStudy;
    });
  }

  /**
   * Turns up to {@code batch} ratings of {@code study} after its mark into observations and moves the mark past
   * them, in one transaction: each rating becomes exactly one observation however often this runs.
   */
  Future<CaughtUp> catchUp(String study, int batch) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_MARK).execute(Tuple.of(study)).compose(marks -> {
      if (marks.size() == 0) {
        return Future.failedFuture(new IllegalStateException("optimizer_studies has no row for " + study));
      }
      long mark = marks.iterator().next().getLong(0);
      return conn.preparedQuery(RATINGS_AFTER_MARK).execute(Tuple.of(study, mark, batch)).compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(new CaughtUp(List.of(), mark, false));
        }
        List<Tuple> observations = new ArrayList<>();
        Map<Long, RatedSample> byRating = new HashMap<>();
        long through = mark;
        for (Row row : rows) {
          long ratingId = row.getLong("rating_id");
          Observation observation = new Observation(parameters(row), row.getInteger("rating"), row.getString("rated_by"));
          RatedSample sample = new RatedSample(observation, row.getString("prompt_version"),
            row.getString("experiment_id"), row.getBoolean("ab_test"));
          byRating.put(ratingId, sample);
          observations.add(Tuple.from(new Object[] {study, ratingId, observation.parameters().api(),
            observation.parameters().strength(), observation.parameters().guidanceScale(),
            observation.parameters().controlWeight(), observation.rating(), observation.rater(),
            sample.promptVersion(), sample.experimentId(), sample.abTest()}));
          through = Math.max(through, ratingId);
        }
        long newMark = through;
        return conn.preparedQuery(INSERT_OBSERVATION).executeBatch(observations)
          .map(inserted -> {
            List<RatedSample> learnt = new ArrayList<>();
            for (RowSet<Row> one = inserted; one != null; one = one.next()) {
              for (Row row : one) {
                learnt.add(byRating.get(row.getLong(0)));
              }
            }
            return learnt;
          })
          .compose(learnt -> conn.preparedQuery(SAVE_MARK).execute(Tuple.of(study, newMark))
            .map(saved -> new CaughtUp(learnt, newMark, rows.size() == batch)));
      });
    }));
  }

  /** The newest {@code limit} predictions of unshown candidates of {@code study}, oldest first. */
  Future<List<PredictedSample>> newestPredictions(String study, int limit) {
    return pool.preparedQuery(NEWEST_PREDICTIONS).execute(Tuple.of(study, limit)).map(rows -> {
      List<PredictedSample> newestFirst = new ArrayList<>();
      for (Row row : rows) {
        newestFirst.add(new PredictedSample(parameters(row), row.getDouble("predicted_rating"),
          row.getDouble("uncertainty"), row.getString("prompt_version")));
      }
      Collections.reverse(newestFirst);
      return newestFirst;
    });
  }

  /** The stored pending suggestions, per study, oldest first. */
  Future<Map<String, List<Study.PendingSuggestion>>> loadPending() {
    return pool.query(LOAD_PENDING).execute().map(rows -> {
      Map<String, List<Study.PendingSuggestion>> byStudy = new HashMap<>();
      for (Row row : rows) {
        byStudy.computeIfAbsent(row.getString("study"), s -> new ArrayList<>()).add(new Study.PendingSuggestion(
          parameters(row), row.getOffsetDateTime("expires_at").toInstant().toEpochMilli()));
      }
      return byStudy;
    });
  }

  /** Replaces the stored pending suggestions of {@code study} with {@code pending}, in one transaction. */
  Future<Void> savePending(String study, List<Study.PendingSuggestion> pending) {
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      Study.PendingSuggestion p = pending.get(i);
      rows.add(Tuple.from(new Object[] {study, i, p.parameters().api(), p.parameters().strength(),
        p.parameters().guidanceScale(), p.parameters().controlWeight(),
        OffsetDateTime.ofInstant(Instant.ofEpochMilli(p.expiresAtMs()), ZoneOffset.UTC)}));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(CLEAR_PENDING).execute(Tuple.of(study))
      .compose(cleared -> rows.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(INSERT_PENDING).executeBatch(rows).mapEmpty())).mapEmpty();
  }

  /** Stores phase 1 as ended for {@code reason} (keeping the first completion time) or, with null, as running. */
  Future<Void> savePhase1(String study, String reason) {
    return pool.preparedQuery(SAVE_PHASE1).execute(Tuple.of(study, reason)).mapEmpty();
  }

  Future<Void> saveModelState(String study, ModelState state) {
    JsonObject json = new JsonObject().put("version", 1).put("design_issued", state.designIssued());
    if (state.theta() != null) {
      JsonArray theta = new JsonArray();
      for (double t : state.theta()) {
        theta.add(t);
      }
      json.put("theta", theta);
    }
    return pool.preparedQuery(SAVE_MODEL_STATE).execute(Tuple.of(study, json)).mapEmpty();
  }

  private static GenerationParameters parameters(Row row) {
    return new GenerationParameters(row.getString("api"), row.getDouble("strength"), row.getDouble("guidance_scale"),
      row.getDouble("control_weight"));
  }

  /** Reads a saved warm state; anything unreadable counts as none (it is only an optimisation). */
  private static ModelState modelState(Object value) {
    if (!(value instanceof JsonObject json)) {
      return null;
    }
    try {
      JsonArray theta = json.getJsonArray("theta");
      double[] t = null;
      if (theta != null) {
        t = new double[theta.size()];
        for (int i = 0; i < t.length; i++) {
          t[i] = ((Number) theta.getValue(i)).doubleValue();
        }
      }
      return new ModelState(t, json.getInteger("design_issued", 0));
    } catch (ClassCastException | NullPointerException e) {
      return null;
    }
  }
}
