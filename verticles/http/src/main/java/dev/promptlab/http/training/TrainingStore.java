package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every SQL statement of the training flow: experiments, options, ratings, history. The http verticle owns these
 * tables; other verticles read ratings through the view {@code rated_variants} (docs/architecture.md).
 */
public final class TrainingStore {

  private static final String INSERT_EXPERIMENT =
    "INSERT INTO experiments (id, mode, original_image_id, original_image_public_id, strategy, created_by, selection)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7)";
  private static final String INSERT_OPTION =
    "INSERT INTO experiment_options (experiment_id, option, provider, api, strength, guidance_scale, control_weight,"
      + " prompt_version, ab_test_id, seed, image_id, image_public_id, status, error, duration_ms)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
  private static final String INSERT_CANDIDATE =
    "INSERT INTO experiment_candidates (experiment_id, candidate, role, option, provider, api, strength, guidance_scale,"
      + " control_weight, prompt_version, seed, image_id, image_public_id, error, predicted_rating, uncertainty,"
      + " model_version, below_screen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
      + " $17, $18)";
  // The selection of each experiment with its candidates (none for most), each shown one with its rating.
  private static final String SELECTIONS =
    "SELECT e.id AS experiment_id, e.selection, c.candidate, c.role, c.option, c.api, c.strength, c.guidance_scale,"
      + " c.control_weight, c.prompt_version, c.image_public_id, c.error, c.predicted_rating, c.uncertainty,"
      + " c.model_version, c.below_screen, r.rating FROM experiments e"
      + " LEFT JOIN experiment_candidates c ON c.experiment_id = e.id"
      + " LEFT JOIN experiment_options o ON o.experiment_id = c.experiment_id AND o.option = c.option"
      + " LEFT JOIN ratings r ON r.option_id = o.id WHERE e.id = ANY($1) ORDER BY e.id, c.candidate";
  private static final String EXPERIMENT_MODE = "SELECT mode, created_by FROM experiments WHERE id = $1";
  private static final String OPTION_COLUMNS =
    "o.id, o.option, o.image_id, o.image_public_id, o.status, o.api, o.strength, o.guidance_scale, o.control_weight, o.prompt_version,"
      + " o.ab_test_id, r.rating, r.comment";
  // Locking the options serialises concurrent submissions for one experiment, so "rated once" holds.
  // The ratings are read by a later statement: under READ COMMITTED it sees what the lock holder committed.
  private static final String LOCK_OPTIONS =
    "SELECT id FROM experiment_options WHERE experiment_id = $1 ORDER BY option FOR UPDATE";
  private static final String OPTIONS_FOR_RATING = "SELECT " + OPTION_COLUMNS
    + " FROM experiment_options o LEFT JOIN ratings r ON r.option_id = o.id WHERE o.experiment_id = $1"
    + " ORDER BY o.option";
  // Readers of rated_variants keep a high-water mark of rating ids, so ids must become visible in increasing order:
  // rating transactions insert one at a time (held until commit; reads are not blocked). A transaction that drew
  // ids earlier cannot commit after one that drew later ids and be skipped. Taken after the options' row locks, as
  // every rating transaction does, so the two locks are always taken in the same order.
  private static final String SERIALISE_RATING_INSERTS = "LOCK TABLE ratings IN SHARE ROW EXCLUSIVE MODE";
  private static final String INSERT_RATING =
    "INSERT INTO ratings (option_id, rating, comment, rated_by) VALUES ($1, $2, $3, $4) RETURNING id";
  private static final String SAMPLES_OF_MODE =
    "SELECT count(*) FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + " JOIN experiments e ON e.id = o.experiment_id WHERE e.mode = $1";
  private static final String ALL_SAMPLES = "SELECT count(*) FROM ratings";
  private static final String OPTION_MATCHES = "($2::text IS NULL OR o.api = $2) AND ($3::float8 IS NULL OR r.rating >= $3)";
  // $5: the owner whose experiments are listed (null: everyone's, for admins).
  private static final String HISTORY =
    "WITH picked AS (SELECT e.id, e.created_at, e.mode, e.original_image_id, e.original_image_public_id, e.created_by,"
      + " e.skip_reason"
      + " FROM experiments e WHERE ($1::text IS NULL OR e.mode = $1) AND ($5::text IS NULL OR e.created_by = $5)"
      + " AND EXISTS (SELECT 1 FROM experiment_options o"
      + " LEFT JOIN ratings r ON r.option_id = o.id WHERE o.experiment_id = e.id AND " + OPTION_MATCHES + ")"
      + " ORDER BY e.created_at DESC, e.id LIMIT $4)"
      + " SELECT p.id AS experiment_id, p.created_at, p.mode, p.original_image_id, p.original_image_public_id,"
      + " p.created_by, p.skip_reason, "
      + OPTION_COLUMNS
      + " FROM picked p JOIN experiment_options o ON o.experiment_id = p.id LEFT JOIN ratings r ON r.option_id = o.id"
      + " WHERE " + OPTION_MATCHES + " ORDER BY p.created_at DESC, p.id, o.option";
  private static final String ONE_EXPERIMENT =
    "SELECT e.id AS experiment_id, e.created_at, e.mode, e.original_image_id, e.original_image_public_id, e.created_by,"
      + " e.skip_reason, " + OPTION_COLUMNS + " FROM experiments e JOIN experiment_options o ON o.experiment_id = e.id"
      + " LEFT JOIN ratings r ON r.option_id = o.id WHERE e.id = $1 ORDER BY o.option";
  // Only a pair without any rating is set aside, and only once.
  private static final String SKIP =
    "UPDATE experiments e SET skipped_at = now(), skip_reason = $2 WHERE e.id = $1 AND e.skipped_at IS NULL"
      + " AND NOT EXISTS (SELECT 1 FROM experiment_options o JOIN ratings r ON r.option_id = o.id"
      + " WHERE o.experiment_id = e.id)";
  private static final String RATED_SAMPLES =
    "SELECT e.mode, o.api, o.strength, o.guidance_scale, o.control_weight, o.prompt_version, r.rating"
      + " FROM ratings r JOIN experiment_options o ON o.id = r.option_id JOIN experiments e ON e.id = o.experiment_id"
      + " WHERE ($1::text IS NULL OR e.mode = $1) AND ($2::text IS NULL OR o.api = $2)"
      + " AND ($3::text IS NULL OR e.created_by = $3) ORDER BY r.rated_at, r.id";
  // An image belongs to the experiment it is the original or a variant of.
  // A candidate the trainer was not shown has no owner but the admins: its prediction is for them alone.
  private static final String IMAGE_OWNER =
    "SELECT original_image_id AS image_id, created_by FROM experiments WHERE original_image_public_id = $1"
      + " UNION ALL SELECT o.image_id, e.created_by FROM experiment_options o JOIN experiments e"
      + " ON e.id = o.experiment_id WHERE o.image_public_id = $1"
      + " UNION ALL SELECT c.image_id, NULL FROM experiment_candidates c WHERE c.image_public_id = $1"
      + " AND c.option IS NULL LIMIT 1";

  // A stored variant with what made it, for the reward model's prediction.
  private static final String VARIANT =
    "SELECT o.image_id, e.original_image_id, e.created_by, o.api, o.strength, o.guidance_scale, o.control_weight,"
      + " o.prompt_version FROM experiment_options o JOIN experiments e ON e.id = o.experiment_id"
      + " WHERE o.image_public_id = $1 AND o.image_id IS NOT NULL";

  private static final String FAILED_OPTION =
    "SELECT e.mode, e.created_by, e.original_image_id, o.status, o.api, o.strength, o.guidance_scale, o.control_weight,"
      + " o.prompt_version, o.ab_test_id, o.seed FROM experiments e JOIN experiment_options o ON o.experiment_id = e.id"
      + " WHERE e.id = $1 AND o.option = $2";
  private static final String RETRIED_READY =
    "UPDATE experiment_options SET status = 'ready', image_id = $3, provider = $4, duration_ms = $5, error = NULL,"
      + " strength = $6, guidance_scale = $7, control_weight = $8, image_public_id = $9"
      + " WHERE experiment_id = $1 AND option = $2 AND status = 'failed'";
  private static final String RETRIED_FAILED =
    "UPDATE experiment_options SET error = $3 WHERE experiment_id = $1 AND option = $2 AND status = 'failed'";

  private final Pool pool;

  public TrainingStore(Pool pool) {
    this.pool = pool;
  }

  /** Proves the database answers (readiness). */
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  /** Stores the experiment and all its options, or nothing. */
  public Future<Void> saveExperiment(NewExperiment experiment) {
    List<Tuple> options = experiment.options().stream().map(o -> Tuple.from(new Object[] {
      experiment.id(), o.option(), o.provider(), o.parameters().api(), o.parameters().strength(),
      o.parameters().guidanceScale(), o.parameters().controlWeight(), o.promptVersion(), o.abTestId(), o.seed(),
      o.imageId(), o.imagePublicId(), o.status(), o.error(), o.durationMs()})).toList();
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_EXPERIMENT)
      .execute(Tuple.of(experiment.id(), experiment.mode(), experiment.originalImageId(), experiment.originalPublicId(),
        experiment.strategy(), experiment.createdBy(), experiment.selection()))
      .compose(done -> conn.preparedQuery(INSERT_OPTION).executeBatch(options))
      .compose(done -> experiment.candidates().isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(INSERT_CANDIDATE).executeBatch(candidateRows(experiment)))
      .mapEmpty());
  }

  private static List<Tuple> candidateRows(NewExperiment experiment) {
    return experiment.candidates().stream().map(c -> {
      NewExperiment.Option o = c.rendered();
      return Tuple.from(new Object[] {experiment.id(), (short) c.number(), c.role().stored(), o.option(), o.provider(),
        o.parameters().api(), o.parameters().strength(), o.parameters().guidanceScale(),
        o.parameters().controlWeight(), o.promptVersion(), o.seed(), o.imageId(), o.imagePublicId(), o.error(),
        c.predictedRating(), c.uncertainty(), c.modelVersion(), c.belowScreen()});
    }).toList();
  }

  /**
   * In one transaction: checks that {@code caller} may rate the experiment ({@link ExperimentAccess}, 403
   * otherwise), checks the submission against the stored options ({@link RatingPlan}), inserts the new ratings
   * and counts the mode's samples afterwards.
   */
  public Future<RatingCommit> recordRatings(RatingSubmission submission, Principal caller) {
    return pool.withTransaction(conn -> conn.preparedQuery(EXPERIMENT_MODE).execute(Tuple.of(submission.experimentId()))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(ApiError.notFound("experiment " + submission.experimentId() + " does not exist"));
        }
        Row experiment = rows.iterator().next();
        if (!ExperimentAccess.mayUse(caller, experiment.getString("created_by"))) {
          return Future.failedFuture(ExperimentAccess.notYours(submission.experimentId(), "rate"));
        }
        String mode = experiment.getString("mode");
        return conn.preparedQuery(LOCK_OPTIONS).execute(Tuple.of(submission.experimentId()))
          .compose(locked -> conn.preparedQuery(OPTIONS_FOR_RATING).execute(Tuple.of(submission.experimentId())))
          .map(optionRows -> {
            List<StoredOption> stored = new ArrayList<>();
            optionRows.forEach(row -> stored.add(option(row)));
            return RatingPlan.decide(stored, submission);
          })
          .compose(plan -> insertRatings(conn, submission.ratedBy(), plan)
            .compose(ratings -> conn.preparedQuery(SAMPLES_OF_MODE).execute(Tuple.of(mode))
              .map(count -> new RatingCommit(mode, ratings, plan.repeated(),
                count.iterator().next().getLong(0).intValue()))));
      }));
  }

  private Future<List<RatedOption>> insertRatings(SqlConnection conn, String rater, RatingPlan plan) {
    Future<List<RatedOption>> chain = plan.newRatings().isEmpty() ? Future.succeededFuture(new ArrayList<>())
      : conn.query(SERIALISE_RATING_INSERTS).execute().<List<RatedOption>>map(locked -> new ArrayList<>());
    for (RatingPlan.NewRating rating : plan.newRatings()) {
      StoredOption option = rating.option();
      RatingSubmission.Entry entry = rating.entry();
      chain = chain.compose(list -> conn.preparedQuery(INSERT_RATING)
        .execute(Tuple.of(option.id(), (short) entry.rating(), entry.comment(), rater))
        .map(ids -> {
          list.add(new RatedOption(ids.iterator().next().getLong("id"), option.option(), option.parameters(),
            option.promptVersion(), option.abTestId(), entry.rating(), entry.comment(), rater));
          return list;
        }));
    }
    return chain;
  }

  /** Rated variants of one mode (null: all). */
  public Future<Integer> samplesCollected(String mode) {
    Future<io.vertx.sqlclient.RowSet<Row>> rows = mode == null ? pool.query(ALL_SAMPLES).execute()
      : pool.preparedQuery(SAMPLES_OF_MODE).execute(Tuple.of(mode));
    return rows.map(set -> set.iterator().next().getLong(0).intValue());
  }

  /**
   * The newest experiments of {@code owner} (null: everyone's) with at least one option matching the filter,
   * each with its matching options.
   */
  public Future<List<ExperimentRecord>> history(HistoryFilter filter, String owner) {
    return pool.preparedQuery(HISTORY)
      .execute(Tuple.of(filter.mode(), filter.api(), filter.minRating(), filter.limit(), owner))
      .map(TrainingStore::experiments);
  }

  /** How the options of these experiments were chosen, and their candidates (for admins). */
  public Future<Map<String, ExperimentSelection>> selections(List<String> experimentIds) {
    return pool.preparedQuery(SELECTIONS).execute(Tuple.of(experimentIds.toArray(new String[0]))).map(rows -> {
      Map<String, String> selection = new LinkedHashMap<>();
      Map<String, List<StoredCandidate>> candidates = new LinkedHashMap<>();
      rows.forEach(row -> {
        String id = row.getString("experiment_id");
        selection.put(id, row.getString("selection"));
        List<StoredCandidate> list = candidates.computeIfAbsent(id, k -> new ArrayList<>());
        if (row.getValue("candidate") != null) {
          list.add(new StoredCandidate(row.getInteger("candidate"), row.getString("role"), row.getString("option"),
            parameters(row), row.getString("prompt_version"), row.getString("image_public_id"), row.getString("error"),
            row.getDouble("predicted_rating"), row.getDouble("uncertainty"), row.getLong("model_version"),
            row.getBoolean("below_screen"), row.getInteger("rating")));
        }
      });
      Map<String, ExperimentSelection> result = new LinkedHashMap<>();
      selection.forEach((id, how) -> result.put(id, new ExperimentSelection(how, candidates.get(id))));
      return result;
    });
  }

  /** One experiment with all its options; empty when there is none with this id. */
  public Future<Optional<ExperimentRecord>> experiment(String experimentId) {
    return pool.preparedQuery(ONE_EXPERIMENT).execute(Tuple.of(experimentId))
      .map(rows -> experiments(rows).stream().findFirst());
  }

  /**
   * Sets an unrated pair aside with a reason: 404 unknown, 403 not the caller's ({@link ExperimentAccess}), 409 when
   * it already has a rating or was set aside before.
   */
  public Future<Void> skip(String experimentId, String reason, Principal caller) {
    return pool.withTransaction(conn -> conn.preparedQuery(EXPERIMENT_MODE).execute(Tuple.of(experimentId))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(ApiError.notFound("experiment " + experimentId + " does not exist"));
        }
        if (!ExperimentAccess.mayUse(caller, rows.iterator().next().getString("created_by"))) {
          return Future.failedFuture(ExperimentAccess.notYours(experimentId, "skip"));
        }
        return conn.preparedQuery(SKIP).execute(Tuple.of(experimentId, reason)).compose(updated -> updated.rowCount() == 1
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(ApiError.conflict("experiment " + experimentId + " is already rated or set aside")
            .withMessageKey("skip_conflict")));
      }));
  }

  private static List<ExperimentRecord> experiments(RowSet<Row> rows) {
    Map<String, List<StoredOption>> options = new LinkedHashMap<>();
    Map<String, Row> heads = new LinkedHashMap<>();
    rows.forEach(row -> {
      String id = row.getString("experiment_id");
      heads.putIfAbsent(id, row);
      options.computeIfAbsent(id, k -> new ArrayList<>()).add(option(row));
    });
    return heads.entrySet().stream().map(e -> new ExperimentRecord(e.getKey(),
      e.getValue().getOffsetDateTime("created_at"), e.getValue().getString("mode"),
      e.getValue().getLong("original_image_id"), e.getValue().getString("original_image_public_id"),
      options.get(e.getKey()), e.getValue().getString("created_by"), e.getValue().getString("skip_reason"))).toList();
  }

  /** Every rated variant of the mode, API and owner (null: all), oldest first. */
  public Future<List<RatedSample>> ratedSamples(String mode, String api, String owner) {
    return pool.preparedQuery(RATED_SAMPLES).execute(Tuple.of(mode, api, owner)).map(rows -> {
      List<RatedSample> samples = new ArrayList<>();
      rows.forEach(row -> samples.add(new RatedSample(row.getString("mode"), parameters(row),
        row.getString("prompt_version"), row.getInteger("rating"))));
      return samples;
    });
  }

  /**
   * The failed option to render again; 404 when unknown, 403 when {@code caller} may not use the experiment
   * ({@link ExperimentAccess}), 409 when it is not failed.
   */
  public Future<RetryTarget> failedOption(String experimentId, String option, Principal caller) {
    return pool.preparedQuery(FAILED_OPTION).execute(Tuple.of(experimentId, option)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ApiError.notFound("experiment " + experimentId + " has no option " + option));
      }
      Row row = rows.iterator().next();
      if (!ExperimentAccess.mayUse(caller, row.getString("created_by"))) {
        return Future.failedFuture(ExperimentAccess.notYours(experimentId, "retry"));
      }
      if (!"failed".equals(row.getString("status"))) {
        return Future.failedFuture(ApiError.conflict("option " + option + " was generated already"));
      }
      return Future.succeededFuture(new RetryTarget(experimentId, option, row.getString("mode"),
        row.getLong("original_image_id"), parameters(row), row.getString("prompt_version"), row.getLong("ab_test_id"),
        row.getLong("seed")));
    });
  }

  /**
   * Records the outcome of a retry: the new image with its provider and the parameters it was rendered with,
   * or the new error (the option stays failed; {@code image}, {@code provider} and {@code rendered} null).
   */
  public Future<Void> retried(RetryTarget target, StoredImage image, String provider, GenerationParameters rendered,
                              Long durationMs, String error) {
    Long imageId = image == null ? null : image.imageId();
    Tuple args = imageId != null
      ? Tuple.from(new Object[] {target.experimentId(), target.option(), imageId, provider, durationMs,
        rendered.strength(), rendered.guidanceScale(), rendered.controlWeight(), image.publicId()})
      : Tuple.of(target.experimentId(), target.option(), error);
    return pool.preparedQuery(imageId != null ? RETRIED_READY : RETRIED_FAILED).execute(args).compose(rows ->
      rows.rowCount() == 1 ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiError.conflict("option " + target.option() + " was retried at the same time")));
  }

  /**
   * The numeric id and the owner of the image with this public id, when it belongs to an experiment (empty
   * otherwise: an original whose experiment was never stored is served to nobody).
   */
  public Future<Optional<ImageOwner>> imageOwner(String publicId) {
    return pool.preparedQuery(IMAGE_OWNER).execute(Tuple.of(publicId)).map(rows -> rows.size() == 0
      ? Optional.<ImageOwner>empty()
      : Optional.of(new ImageOwner(rows.iterator().next().getLong("image_id"),
        rows.iterator().next().getString("created_by"))));
  }

  /** An image's numeric id and the creator of its experiment. */
  public record ImageOwner(long imageId, String createdBy) {
  }

  /**
   * The enhanced variant with this public id: its image, its original, its settings and its experiment's creator;
   * a database failure is the API's storage error.
   */
  public Future<Optional<StoredVariant>> variant(String publicId) {
    return pool.preparedQuery(VARIANT).execute(Tuple.of(publicId))
      .recover(failure -> StorageFailures.explain(failure, "the variant could not be looked up")).map(rows -> {
      if (rows.size() == 0) {
        return Optional.<StoredVariant>empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new StoredVariant(row.getLong("image_id"), row.getLong("original_image_id"),
        row.getString("created_by"), new GenerationParameters(row.getString("api"), row.getDouble("strength"),
          row.getDouble("guidance_scale"), row.getDouble("control_weight")), row.getString("prompt_version")));
    });
  }

  /** A stored variant as {@link #variant} finds it. */
  public record StoredVariant(long imageId, long originalImageId, String createdBy, GenerationParameters parameters,
                              String promptVersion) {
  }

  private static StoredOption option(Row row) {
    return new StoredOption(row.getLong("id"), row.getString("option"), row.getLong("image_id"),
      row.getString("image_public_id"), row.getString("status"), parameters(row), row.getString("prompt_version"), row.getLong("ab_test_id"),
      row.getInteger("rating"), row.getString("comment"));
  }

  private static GenerationParameters parameters(Row row) {
    return new GenerationParameters(row.getString("api"), row.getDouble("strength"), row.getDouble("guidance_scale"),
      row.getDouble("control_weight"));
  }
}
