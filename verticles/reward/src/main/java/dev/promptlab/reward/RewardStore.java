package dev.promptlab.reward;

import dev.promptlab.contract.ActivationVerdict;
import dev.promptlab.contract.CalibrationBin;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.reward.features.FeatureVector;
import dev.promptlab.reward.model.HeldOutMetrics;
import dev.promptlab.reward.model.RatedVariant;
import dev.promptlab.reward.model.RewardModel;
import dev.promptlab.reward.model.RewardModelCodec;
import dev.promptlab.reward.model.RewardTrainer;
import dev.promptlab.reward.model.Verdict;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reward verticle's SQL: it writes only its own tables ({@code image_features}, {@code variant_structure},
 * {@code reward_models}) and reads ratings through the http verticle's view {@code rated_variants}.
 */
final class RewardStore {

  /** A rated variant whose images still lack features or whose structure comparison is missing. */
  record PendingVariant(long variantImageId, long originalImageId, boolean variantDone, boolean originalDone,
                        boolean structureDone) {
  }

  /** An image's stored features, and its embedding by the configured encoder (null: none, or another's). */
  record StoredFeatures(FeatureVector features, float[] embedding) {
  }

  /** A trained model as stored. */
  record StoredModel(RewardModelSummary summary, long throughRatingId, RewardModel model) {
  }

  // An image is done when it has features of this extractor version and, with an encoder configured ($2 its
  // name), that encoder's embedding: configuring an encoder later embeds the images described before.
  private static final String PENDING = """
    SELECT DISTINCT rv.variant_image_id, rv.original_image_id,
           EXISTS (SELECT 1 FROM image_features f WHERE f.image_id = rv.variant_image_id
                   AND f.extractor_version = $1
                   AND ($2::text IS NULL OR f.embedding_model = $2::text)) AS variant_done,
           EXISTS (SELECT 1 FROM image_features f WHERE f.image_id = rv.original_image_id
                   AND f.extractor_version = $1
                   AND ($2::text IS NULL OR f.embedding_model = $2::text)) AS original_done,
           EXISTS (SELECT 1 FROM variant_structure s WHERE s.variant_image_id = rv.variant_image_id
                   AND s.extractor_version = $1) AS structure_done
    FROM rated_variants rv
    WHERE rv.variant_image_id IS NOT NULL""";

  private static final String SELECT_PENDING = "SELECT * FROM (" + PENDING + ") p"
    + " WHERE NOT (variant_done AND original_done AND structure_done) AND variant_image_id > $4"
    + " ORDER BY variant_image_id LIMIT $3";

  private static final String COUNT_PENDING = "SELECT count(*) AS pending FROM (" + PENDING + ") p"
    + " WHERE NOT (variant_done AND original_done AND structure_done)";

  private static final String INSERT_FEATURES = """
    INSERT INTO image_features (image_id, extractor_version, names, feature_values, embedding_model, embedding)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (image_id, extractor_version) DO UPDATE
      SET embedding_model = EXCLUDED.embedding_model, embedding = EXCLUDED.embedding
      WHERE EXCLUDED.embedding IS NOT NULL""";

  private static final String INSERT_STRUCTURE = """
    INSERT INTO variant_structure (variant_image_id, original_image_id, extractor_version, names, feature_values)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (variant_image_id, extractor_version) DO NOTHING""";

  private static final String TRAINING_ROWS = """
    SELECT rv.rating_id, rv.experiment_id, rv.rated_by, rv.api, rv.prompt_version, rv.strength, rv.guidance_scale,
           rv.control_weight, rv.rating,
           fv.names AS variant_names, fv.feature_values AS variant_values,
           CASE WHEN fv.embedding_model = $2::text THEN fv.embedding END AS variant_embedding,
           fo.names AS original_names, fo.feature_values AS original_values,
           s.names AS structure_names, s.feature_values AS structure_values
    FROM rated_variants rv
    JOIN image_features fv ON fv.image_id = rv.variant_image_id AND fv.extractor_version = $1
    JOIN image_features fo ON fo.image_id = rv.original_image_id AND fo.extractor_version = $1
    JOIN variant_structure s ON s.variant_image_id = rv.variant_image_id AND s.extractor_version = $1
    ORDER BY rv.rating_id""";

  private static final String COUNT_TRAINABLE = """
    SELECT count(*) AS samples, coalesce(max(rv.rating_id), 0) AS through
    FROM rated_variants rv
    JOIN image_features fv ON fv.image_id = rv.variant_image_id AND fv.extractor_version = $1
    JOIN image_features fo ON fo.image_id = rv.original_image_id AND fo.extractor_version = $1
    JOIN variant_structure s ON s.variant_image_id = rv.variant_image_id AND s.extractor_version = $1""";

  private static final String FEATURES_OF = """
    SELECT names, feature_values, embedding_model, embedding
    FROM image_features WHERE image_id = $1 AND extractor_version = $2""";

  private static final String STRUCTURE_OF = """
    SELECT names, feature_values FROM variant_structure WHERE variant_image_id = $1 AND extractor_version = $2""";

  private static final String DEACTIVATE = "UPDATE reward_models SET active = false WHERE active";

  private static final String INSERT_MODEL = """
    INSERT INTO reward_models (extractor_version, embedding_model, trained_through_rating_id, training_rows,
      held_out_rows, metrics, active, reason, artefact_format, artefact)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    RETURNING id, trained_at""";

  private static final String MODELS = """
    SELECT id, trained_at, active, reason, training_rows, held_out_rows, metrics, trained_through_rating_id
    FROM reward_models WHERE extractor_version = $1 ORDER BY id DESC""";

  private static final String NEWEST_WITH_ARTEFACT = """
    SELECT id, trained_at, active, reason, training_rows, held_out_rows, metrics, trained_through_rating_id,
           artefact
    FROM reward_models
    WHERE extractor_version = $1 AND artefact_format = $2 AND artefact IS NOT NULL
      AND embedding_model IS NOT DISTINCT FROM $3::text
    ORDER BY active DESC, id DESC LIMIT 1""";

  private final Pool pool;
  private final int version;
  private final String embeddingModel;

  /** {@code embeddingModel}: the configured encoder's description, null without one. */
  RewardStore(Pool pool, int extractorVersion, String embeddingModel) {
    this.pool = pool;
    this.version = extractorVersion;
    this.embeddingModel = embeddingModel;
  }

  /** Up to {@code limit} variants still missing something, with variant image ids above {@code after}. */
  Future<List<PendingVariant>> pending(long after, int limit) {
    return pool.preparedQuery(SELECT_PENDING).execute(Tuple.tuple(Arrays.asList(version, embeddingModel, limit,
      after))).map(rows -> {
      List<PendingVariant> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new PendingVariant(row.getLong("variant_image_id"), row.getLong("original_image_id"),
          row.getBoolean("variant_done"), row.getBoolean("original_done"), row.getBoolean("structure_done")));
      }
      return out;
    });
  }

  Future<Integer> pendingCount() {
    return pool.preparedQuery(COUNT_PENDING).execute(Tuple.tuple(Arrays.asList(version, embeddingModel)))
      .map(rows -> rows.iterator().next().getLong("pending").intValue());
  }

  Future<Void> saveFeatures(long imageId, FeatureVector features, String embeddingModel, float[] embedding) {
    Float[] boxed = null;
    if (embedding != null) {
      boxed = new Float[embedding.length];
      for (int i = 0; i < embedding.length; i++) {
        boxed[i] = embedding[i];
      }
    }
    return pool.preparedQuery(INSERT_FEATURES).execute(Tuple.tuple(Arrays.asList(imageId, version,
      features.names().toArray(String[]::new), boxedValues(features), embedding == null ? null : embeddingModel,
      boxed))).mapEmpty();
  }

  Future<Void> saveStructure(long variantImageId, long originalImageId, FeatureVector structure) {
    return pool.preparedQuery(INSERT_STRUCTURE).execute(Tuple.of(variantImageId, originalImageId, version,
      structure.names().toArray(String[]::new), boxedValues(structure))).mapEmpty();
  }

  Future<Optional<StoredFeatures>> features(long imageId) {
    return pool.preparedQuery(FEATURES_OF).execute(Tuple.of(imageId, version)).map(rows -> vector(rows).map(
      features -> {
        Row row = rows.iterator().next();
        boolean ours = embeddingModel != null && embeddingModel.equals(row.getString("embedding_model"));
        return new StoredFeatures(features, ours ? unboxed(row.getArrayOfFloats("embedding")) : null);
      }));
  }

  Future<Optional<FeatureVector>> structure(long variantImageId) {
    return pool.preparedQuery(STRUCTURE_OF).execute(Tuple.of(variantImageId, version)).map(this::vector);
  }

  /** The rated variants whose features are all stored, oldest rating first. */
  Future<List<RatedVariant>> trainingRows() {
    return pool.preparedQuery(TRAINING_ROWS).execute(Tuple.tuple(Arrays.asList(version, embeddingModel))).map(rows -> {
      List<RatedVariant> out = new ArrayList<>();
      for (Row row : rows) {
        Float[] embedding = row.getArrayOfFloats("variant_embedding");
        out.add(new RatedVariant(row.getLong("rating_id"), stableId(row.getString("experiment_id")),
          raterId(row.getString("rated_by")),
          vector(row, "variant"), vector(row, "original"), vector(row, "structure"), row.getString("api"),
          row.getString("prompt_version"),
          new double[] {row.getDouble("strength"), row.getDouble("guidance_scale"), row.getDouble("control_weight")},
          embedding == null ? null : unboxed(embedding), row.getInteger("rating")));
      }
      return out;
    });
  }

  /** How many rated variants have every feature, and the newest of their rating ids. */
  Future<long[]> trainable() {
    return pool.preparedQuery(COUNT_TRAINABLE).execute(Tuple.of(version)).map(rows -> {
      Row row = rows.iterator().next();
      return new long[] {row.getLong("samples"), row.getLong("through")};
    });
  }

  /** Stores a training run's model; an active one becomes the only active model. */
  Future<RewardModelSummary> saveModel(RewardTrainer.Outcome outcome, long throughRatingId, String embeddingModel) {
    JsonObject metrics = metricsJson(outcome);
    byte[] artefact = outcome.model() == null ? null : RewardModelCodec.encode(outcome.model());
    return pool.withTransaction(connection -> (outcome.active()
        ? connection.query(DEACTIVATE).execute().mapEmpty() : Future.<Void>succeededFuture())
      .compose(v -> connection.preparedQuery(INSERT_MODEL).execute(Tuple.tuple(Arrays.asList(version,
        embeddingModel, throughRatingId, outcome.trainingRows(), outcome.heldOutRows(), metrics, outcome.active(),
        outcome.reason(), artefact == null ? null : RewardModelCodec.FORMAT,
        artefact == null ? null : Buffer.buffer(artefact)))))
      .map(rows -> {
        Row row = rows.iterator().next();
        return summary(row.getLong("id"), row.getOffsetDateTime("trained_at"), outcome.active(), outcome.reason(),
          outcome.trainingRows(), outcome.heldOutRows(), metrics);
      }));
  }

  Future<List<RewardModelSummary>> models() {
    return pool.preparedQuery(MODELS).execute(Tuple.of(version)).map(rows -> {
      List<RewardModelSummary> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(summary(row));
      }
      return out;
    });
  }

  /**
   * The model predictions use: the active one, else the newest that has an artefact (its predictions are then
   * marked not active); only models trained with the encoder configured now (or, without one, with none), since a
   * model reads the embedding it was trained on. Empty before the first model.
   */
  Future<Optional<StoredModel>> newestModel() {
    return pool.preparedQuery(NEWEST_WITH_ARTEFACT)
      .execute(Tuple.tuple(Arrays.asList(version, RewardModelCodec.FORMAT, embeddingModel)))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new StoredModel(summary(row), row.getLong("trained_through_rating_id"),
          RewardModelCodec.decode(row.getBuffer("artefact").getBytes())));
      });
  }

  /** A trainer's number in the model, from the account name the ratings carry; 0, the average trainer, for none. */
  static long raterId(String ratedBy) {
    return ratedBy == null || ratedBy.isBlank() ? 0 : stableId(ratedBy.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * A text id as the model's number (the first eight bytes of its SHA-256, never 0): the same on every run, so an
   * experiment keeps its side of the held-out split and a trainer their offset from one training to the next.
   */
  static long stableId(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long id = ByteBuffer.wrap(digest).getLong();
      return id == 0 ? 1 : id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static RewardModelSummary summary(Row row) {
    return summary(row.getLong("id"), row.getOffsetDateTime("trained_at"), row.getBoolean("active"),
      row.getString("reason"), row.getInteger("training_rows"), row.getInteger("held_out_rows"),
      (JsonObject) row.getJson("metrics"));
  }

  private static RewardModelSummary summary(long id, OffsetDateTime trainedAt, boolean active, String reason,
                                            int trainingRows, int heldOutRows, JsonObject m) {
    return new RewardModelSummary(id, trainedAt.toInstant().toString(), active, reason, trainingRows, heldOutRows,
      m == null ? null : m.getDouble("mae"), m == null ? null : m.getDouble("baseline_mae"),
      m == null ? null : m.getDouble("within_half_star"), m == null ? null : m.getDouble("spearman"),
      m == null ? null : m.getInteger("pairs"), m == null ? null : m.getDouble("pairwise_accuracy"),
      m == null ? List.of() : m.getJsonArray("calibration", new JsonArray()).stream()
        .map(bin -> CalibrationBin.fromJson((JsonObject) bin)).toList(),
      m == null || m.getJsonObject("verdict") == null ? null : ActivationVerdict.fromJson(m.getJsonObject("verdict")));
  }

  /** The held-out figures (none when no model could be fitted) and the verdict, as stored in {@code metrics}. */
  private static JsonObject metricsJson(RewardTrainer.Outcome outcome) {
    Verdict verdict = outcome.verdict();
    JsonObject json = outcome.metrics() == null ? new JsonObject() : heldOutJson(outcome.metrics());
    return json.put("verdict", new ActivationVerdict(verdict.code(), verdict.have(), verdict.need()).toJson());
  }

  private static JsonObject heldOutJson(HeldOutMetrics m) {
    return new JsonObject().put("count", m.count()).put("mae", m.mae()).put("baseline_mae", m.baselineMae())
      .put("within_half_star", m.withinHalf()).put("baseline_within_half_star", m.baselineWithinHalf())
      .put("spearman", finite(m.spearman())).put("pairs", m.pairs())
      .put("pairwise_accuracy", finite(m.pairwiseAccuracy()))
      .put("calibration", new JsonArray(m.calibration().stream().map(bin -> new CalibrationBin(bin.from(), bin.to(),
        bin.count(), bin.meanPredicted(), bin.meanObserved()).toJson()).toList()));
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private Optional<FeatureVector> vector(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new FeatureVector(version, Arrays.asList(row.getArrayOfStrings("names")),
      unboxed(row.getArrayOfDoubles("feature_values"))));
  }

  private FeatureVector vector(Row row, String prefix) {
    return new FeatureVector(version, Arrays.asList(row.getArrayOfStrings(prefix + "_names")),
      unboxed(row.getArrayOfDoubles(prefix + "_values")));
  }

  private static Double[] boxedValues(FeatureVector features) {
    return Arrays.stream(features.values()).boxed().toArray(Double[]::new);
  }

  private static double[] unboxed(Double[] values) {
    return Arrays.stream(values).mapToDouble(Double::doubleValue).toArray();
  }

  private static float[] unboxed(Float[] values) {
    if (values == null) {
      return null;
    }
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
