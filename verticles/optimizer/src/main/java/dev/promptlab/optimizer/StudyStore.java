package dev.promptlab.optimizer;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.optimizer.study.ModelState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All SQL of the optimizer: studies (phase 1, warm state) and the observations it learns from. The
 * observations are written by the rating transaction elsewhere; this class only reads them.
 */
final class StudyStore {

  /** A study's stored row. */
  record StoredStudy(String study, String phase1Reason, ModelState modelState) {
  }

  private static final String ENSURE_STUDY =
    "INSERT INTO optimizer_studies (study) VALUES ($1) ON CONFLICT (study) DO NOTHING";
  private static final String LOAD_STUDIES =
    "SELECT study, phase1_reason, model_state FROM optimizer_studies";
  private static final String LOAD_OBSERVATIONS =
    "SELECT study, api, strength, guidance_scale, control_weight, rating, rater FROM optimizer_observations ORDER BY id";
  private static final String SAVE_PHASE1 =
    "UPDATE optimizer_studies SET phase1_reason = $2::text, "
      + "phase1_completed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE COALESCE(phase1_completed_at, now()) END, "
      + "updated_at = now() WHERE study = $1";
  private static final String SAVE_MODEL_STATE =
    "UPDATE optimizer_studies SET model_state = $2, updated_at = now() WHERE study = $1";

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
  Future<Map<String, List<Observation>>> loadObservations() {
    return pool.query(LOAD_OBSERVATIONS).execute().map(rows -> {
      Map<String, List<Observation>> byStudy = new HashMap<>();
      for (Row row : rows) {
        GenerationParameters parameters = new GenerationParameters(row.getString("api"), row.getDouble("strength"),
          row.getDouble("guidance_scale"), row.getDouble("control_weight"));
        byStudy.computeIfAbsent(row.getString("study"), s -> new ArrayList<>())
          .add(new Observation(parameters, row.getDouble("rating"), row.getString("rater")));
      }
      return byStudy;
    });
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
