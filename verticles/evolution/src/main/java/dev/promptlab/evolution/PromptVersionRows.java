package dev.promptlab.evolution;

import static dev.promptlab.evolution.Rows.first;
import static dev.promptlab.evolution.Rows.iso;
import static dev.promptlab.evolution.Transactions.storage;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.PromptVersionSummary;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.VersionPerformance;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
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

/**
 * SQL of the prompt_versions mirror: the files are the source of truth and win at every start; performance is
 * recomputed from the ratings, read through the http verticle's published view rated_variants, so it can always be
 * rebuilt and concurrent or repeated events can neither lose nor
 * double-count a sample. Every statement outside a governed transaction changes a single row ({@link #markUsed},
 * {@link #refreshPerformance(Collection)}), so it never waits while holding a lock; row locks are
 * {@code FOR NO KEY UPDATE}: keys never change, and the training flow's inserts (which take key-share locks on the
 * prompt version they reference) are not held up by them.
 */
final class PromptVersionRows {

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
  private static final String PARENT_OF = "SELECT parent_version FROM prompt_versions WHERE version = $1";

  private final Transactions transactions;

  private final Pool pool;

  PromptVersionRows(Transactions transactions, Pool pool) {
    this.transactions = transactions;
    this.pool = pool;
  }

  /**
   * Mirrors the stored versions (parents first) and the current pointer in one transaction; the files win.
   *
   * @return the version that was current in the database before, if any
   */
  Future<Optional<String>> mirror(List<PromptVersion> parentFirst, String current) {
    List<Tuple> rows = parentFirst.stream().map(PromptVersionRows::versionRow).toList();
    return transactions.inTransaction("mirror the prompt versions", conn -> conn.query(CURRENT_VERSION_NAME).execute()
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
      chain = chain.compose(done -> transactions.inTransaction("refresh the performance of " + version,
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
  Future<PromptVersions> versionsWithPerformance() {
    return storage("list the prompt versions", pool.query(VERSIONS_WITH_PERFORMANCE).execute())
      .map(rows -> {
        List<PromptVersionSummary> list = new ArrayList<>();
        rows.forEach(row -> list.add(summary(row)));
        list.sort((a, b) -> PromptVersionName.parse(b.version()).compareTo(PromptVersionName.parse(a.version())));
        return new PromptVersions(list);
      });
  }

  /** One version's summary, or empty when it is not mirrored. */
  Future<Optional<PromptVersionSummary>> versionSummary(String version) {
    return storage("read a prompt version", pool.preparedQuery(ONE_VERSION_PERFORMANCE).execute(Tuple.of(version)))
      .map(rows -> first(rows, PromptVersionRows::summary));
  }

  /** Keeps the mirrored document equal to the file after its performance block was refreshed. */
  Future<Void> setDocumentPerformance(String version, JsonObject performance) {
    return storage("store the performance of " + version,
      pool.preparedQuery(SET_DOCUMENT_PERFORMANCE).execute(Tuple.of(version, performance))).mapEmpty();
  }

  Future<String> parentOf(SqlConnection conn, String version) {
    return conn.preparedQuery(PARENT_OF).execute(Tuple.of(version))
      .map(rows -> first(rows, row -> row.getString("parent_version")).orElse(null));
  }

  private static PromptVersionSummary summary(Row row) {
    JsonObject document = row.getJsonObject("document");
    JsonObject metadata = document.getJsonObject("metadata", new JsonObject());
    List<String> tags = new ArrayList<>();
    metadata.getJsonArray("tags", new JsonArray()).forEach(tag -> tags.add(String.valueOf(tag)));
    return new PromptVersionSummary(row.getString("version"), row.getString("parent_version"),
      iso(row.getOffsetDateTime("created_at")), document.getString("created_by"), metadata.getString("description"),
      tags, row.getBoolean("is_current"), performance(row));
  }

  static VersionPerformance performance(Row row) {
    return new VersionPerformance(row.getDouble("avg_rating"), row.getInteger("sample_count"),
      row.getDouble("win_rate"), iso(row.getOffsetDateTime("last_used")));
  }
}
