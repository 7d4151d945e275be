package dev.promptlab.textopt;

import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetSummary;
import dev.promptlab.contract.RefusedRow;
import dev.promptlab.textopt.dataset.DatasetRow;
import dev.promptlab.textopt.dataset.ParsedDataset;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of datasets: the textopt verticle writes {@code textopt_datasets} and {@code textopt_dataset_rows}. */
final class DatasetStore {

  /** A validated and split file, ready to store. */
  record NewDataset(String name, ParsedDataset parsed, boolean[] evalRows, double evalRatio, long splitSeed,
                    String sha256, long bytes, String uploadedBy) {
  }

  // Rows go in batches: one statement per row would be 50 000 round trips for the largest dataset.
  private static final int BATCH = 1000;

  private static final String COLUMNS = "id, name, format, row_count, train_rows, eval_rows, rejected_count,"
    + " eval_ratio, split_seed, uploaded_by, created_at";

  // JSON goes as text cast by the server: a Java string bound to a jsonb parameter would be stored as a JSON string.
  private static final String INSERT_DATASET = "INSERT INTO textopt_datasets (name, format, file_sha256, file_bytes,"
    + " row_count, train_rows, eval_rows, rejected_count, rejected, eval_ratio, split_seed, uploaded_by)"
    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10, $11, $12) RETURNING " + COLUMNS;

  private static final String INSERT_ROW = "INSERT INTO textopt_dataset_rows (dataset_id, ordinal, line, row_id, input,"
    + " expected, metadata, split) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8)";

  private static final String SELECT_ONE = "SELECT " + COLUMNS + ", rejected FROM textopt_datasets WHERE id = $1";

  private static final String SELECT_LATEST = "SELECT " + COLUMNS + " FROM textopt_datasets"
    + " ORDER BY created_at DESC, id DESC LIMIT $1";

  private final Pool pool;

  DatasetStore(Pool pool) {
    this.pool = pool;
  }

  /** Stores the dataset and all its rows in one transaction; its report lists the first refused rows. */
  Future<DatasetReport> save(NewDataset dataset) {
    List<ParsedDataset.Refusal> refused = dataset.parsed().refused();
    List<RefusedRow> listed = refused.stream().limit(DatasetReport.MAX_LISTED)
      .map(r -> new RefusedRow(r.line(), r.reason(), r.code(), r.args())).toList();
    JsonArray listedJson = new JsonArray();
    listed.forEach(r -> listedJson.add(r.toJson()));
    int rows = dataset.parsed().rows().size();
    int evalRows = 0;
    for (boolean eval : dataset.evalRows()) {
      evalRows += eval ? 1 : 0;
    }
    Tuple header = Tuple.of(dataset.name(), dataset.parsed().format(), dataset.sha256(), dataset.bytes(), rows,
      rows - evalRows, evalRows, refused.size()).addValue(listedJson.encode()).addValue(dataset.evalRatio())
      .addValue(dataset.splitSeed()).addValue(dataset.uploadedBy());
    return pool.withTransaction(connection -> connection.preparedQuery(INSERT_DATASET).execute(header)
      .compose(inserted -> {
        DatasetSummary summary = summary(inserted.iterator().next());
        return insertRows(connection, summary.id(), dataset, 0)
          .map(done -> new DatasetReport(summary, listed));
      }));
  }

  private Future<Void> insertRows(SqlConnection connection, long datasetId, NewDataset dataset, int from) {
    List<DatasetRow> rows = dataset.parsed().rows();
    if (from >= rows.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(rows.size(), from + BATCH);
    List<Tuple> batch = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      DatasetRow row = rows.get(i);
      batch.add(Tuple.of(datasetId, i + 1, row.line(), row.rowId(), row.input(), row.expected(), row.metadata(),
        dataset.evalRows()[i] ? "eval" : "train"));
    }
    return connection.preparedQuery(INSERT_ROW).executeBatch(batch)
      .compose(done -> insertRows(connection, datasetId, dataset, to));
  }

  Future<Optional<DatasetReport>> find(long id) {
    return pool.preparedQuery(SELECT_ONE).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      JsonArray rejected = new JsonArray(row.getValue("rejected").toString());
      return Optional.of(new DatasetReport(summary(row), rejected.stream()
        .map(r -> RefusedRow.fromJson((JsonObject) r)).toList()));
    });
  }

  Future<List<DatasetSummary>> latest(int limit) {
    return pool.preparedQuery(SELECT_LATEST).execute(Tuple.of(limit)).map(rows -> {
      List<DatasetSummary> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(summary(row)));
      return list;
    });
  }

  private static DatasetSummary summary(Row row) {
    return new DatasetSummary(row.getLong("id"), row.getString("name"), row.getString("format"),
      row.getInteger("row_count"), row.getInteger("train_rows"), row.getInteger("eval_rows"),
      row.getInteger("rejected_count"), row.getDouble("eval_ratio"), row.getLong("split_seed"),
      row.getString("uploaded_by"), row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
