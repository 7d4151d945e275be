package dev.promptlab.http.imports;

import dev.promptlab.contract.StoredImportedPair;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every SQL statement of an import: the import's record and, per row, the experiment, its option, the rating and
 * the row's provenance in one transaction. The http verticle owns these tables (docs/architecture.md).
 */
final class ImportStore {

  static final String STRATEGY = "import";
  static final String PROVIDER = "import";
  private static final String OPTION = "A";

  private static final String BEGIN =
    "INSERT INTO imports (manifest_name, manifest_sha256, format, imported_by, first_row, total_rows)"
      + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
  private static final String FINISH =
    "UPDATE imports SET finished_at = now(), accepted = $2, already_imported = $3, refused = $4 WHERE id = $1";
  private static final String ROW_IMPORTED = "SELECT 1 FROM imported_experiments WHERE row_key = $1";
  private static final String INSERT_EXPERIMENT =
    "INSERT INTO experiments (id, mode, original_image_id, original_image_public_id, strategy, created_by)"
      + " VALUES ($1, $2, $3, $4, '" + STRATEGY + "', $5)";
  private static final String INSERT_OPTION =
    "INSERT INTO experiment_options (experiment_id, option, provider, api, strength, guidance_scale, control_weight,"
      + " prompt_version, seed, image_id, image_public_id, status)"
      + " VALUES ($1, '" + OPTION + "', '" + PROVIDER + "', $2, $3, $4, $5, $6, 0, $7, $8, 'ready') RETURNING id";
  // As every rating transaction does (TrainingStore): rating ids must become visible in increasing order, because
  // the readers of rated_variants keep a high-water mark of them.
  private static final String SERIALISE_RATING_INSERTS = "LOCK TABLE ratings IN SHARE ROW EXCLUSIVE MODE";
  private static final String INSERT_RATING =
    "INSERT INTO ratings (option_id, rating, comment, rated_by, rated_at) VALUES ($1, $2, $3, $4, COALESCE($5, now()))"
      + " RETURNING id";
  private static final String INSERT_PROVENANCE =
    "INSERT INTO imported_experiments (experiment_id, import_id, source_row, row_key) VALUES ($1, $2, $3, $4)";
  private static final String SAMPLES_OF_MODE =
    "SELECT count(*) FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + " JOIN experiments e ON e.id = o.experiment_id WHERE e.mode = $1";
  private static final String REPORT_COLUMNS =
    "id, manifest_name, format, imported_by, started_at, finished_at, first_row, total_rows, accepted,"
      + " already_imported, refused";
  private static final String ONE = "SELECT " + REPORT_COLUMNS + " FROM imports WHERE id = $1";
  private static final String LATEST = "SELECT " + REPORT_COLUMNS + " FROM imports ORDER BY id DESC LIMIT $1";
  private static final String ROW_KEY_CONSTRAINT = "imported_experiments_row_key_key";

  /** A stored row: its rating's id and the number of rated variants of its mode after it. */
  record SavedRow(long ratingId, int samplesCollected) {
  }

  private final Pool pool;

  ImportStore(Pool pool) {
    this.pool = pool;
  }

  Future<Long> begin(String manifestName, String manifestSha256, String format, String importedBy, int firstRow,
                     int rows) {
    return pool.preparedQuery(BEGIN).execute(Tuple.of(manifestName, manifestSha256, format, importedBy, firstRow,
        rows))
      .map(ids -> ids.iterator().next().getLong("id"));
  }

  Future<Void> finish(long importId, int accepted, int alreadyImported, List<Refusal> refused) {
    JsonArray list = new JsonArray();
    refused.forEach(r -> list.add(r.toJson()));
    return pool.preparedQuery(FINISH).execute(Tuple.of(importId, accepted, alreadyImported, list)).mapEmpty();
  }

  /** Whether a row with this identity was imported before (by any import). */
  Future<Boolean> imported(String rowKey) {
    return pool.preparedQuery(ROW_IMPORTED).execute(Tuple.of(rowKey)).map(rows -> rows.size() > 0);
  }

  /**
   * Stores one row whole or not at all; empty when a row with the same identity was stored meanwhile (another
   * instance importing the same manifest), which is then left as it was.
   */
  Future<Optional<SavedRow>> save(long importId, ImportRow row, String rowKey, String experimentId,
                                  String createdBy, StoredImportedPair images) {
    String rater = row.ratedBy() == null ? createdBy : row.ratedBy();
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_EXPERIMENT)
        .execute(Tuple.of(experimentId, row.mode(), images.original().imageId(), images.original().publicId(),
          createdBy))
        .compose(done -> conn.preparedQuery(INSERT_OPTION).execute(Tuple.from(new Object[] {experimentId,
          row.parameters().api(), row.parameters().strength(), row.parameters().guidanceScale(),
          row.parameters().controlWeight(), row.promptVersion(), images.enhanced().imageId(),
          images.enhanced().publicId()})))
        .compose(option -> conn.query(SERIALISE_RATING_INSERTS).execute()
          .compose(locked -> conn.preparedQuery(INSERT_RATING).execute(Tuple.of(
            option.iterator().next().getLong("id"), (short) row.rating(), row.comment(), rater, row.ratedAt()))))
        .compose(rating -> conn.preparedQuery(INSERT_PROVENANCE)
          .execute(Tuple.of(experimentId, importId, row.row(), rowKey))
          .compose(done -> conn.preparedQuery(SAMPLES_OF_MODE).execute(Tuple.of(row.mode())))
          .map(count -> Optional.of(new SavedRow(rating.iterator().next().getLong("id"),
            count.iterator().next().getLong(0).intValue())))))
      .recover(failure -> failure instanceof PgException pg && "23505".equals(pg.getSqlState())
        && ROW_KEY_CONSTRAINT.equals(pg.getConstraint()) ? Future.succeededFuture(Optional.empty())
        : Future.failedFuture(failure));
  }

  Future<Optional<JsonObject>> report(long importId) {
    return pool.preparedQuery(ONE).execute(Tuple.of(importId)).map(rows -> rows.size() == 0
      ? Optional.<JsonObject>empty() : Optional.of(report(rows.iterator().next())));
  }

  Future<JsonArray> latest(int limit) {
    return pool.preparedQuery(LATEST).execute(Tuple.of(limit)).map(rows -> {
      List<JsonObject> reports = new ArrayList<>();
      rows.forEach(row -> reports.add(report(row)));
      return new JsonArray(reports);
    });
  }

  private static JsonObject report(Row row) {
    Object refused = row.getValue("refused");
    return new JsonObject().put("import_id", row.getLong("id")).put("manifest", row.getString("manifest_name"))
      .put("format", row.getString("format")).put("imported_by", row.getString("imported_by"))
      .put("started_at", row.getOffsetDateTime("started_at").toString())
      .put("finished_at", row.getOffsetDateTime("finished_at") == null ? null
        : row.getOffsetDateTime("finished_at").toString())
      .put("status", row.getOffsetDateTime("finished_at") == null ? "running" : "finished")
      .put("first_row", row.getInteger("first_row")).put("rows", row.getInteger("total_rows")).put("accepted", row.getInteger("accepted"))
      .put("already_imported", row.getInteger("already_imported"))
      .put("refused", refused instanceof JsonArray array ? array : new JsonArray());
  }
}
