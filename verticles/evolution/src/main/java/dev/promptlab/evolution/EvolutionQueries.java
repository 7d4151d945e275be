package dev.promptlab.evolution;

import dev.promptlab.contract.FailureCodes;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every SQL statement of the evolution verticle. The prompt_versions table mirrors the files; performance is
 * computed from the ratings table, so it can always be recomputed and concurrent events cannot lose a count.
 */
final class EvolutionQueries {

  private static final Logger LOG = LoggerFactory.getLogger(EvolutionQueries.class);

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
    "SELECT version, document FROM prompt_versions WHERE is_current";
  private static final String ALL_VERSION_NAMES = "SELECT version FROM prompt_versions ORDER BY version";
  private static final String LOCK_VERSION = "SELECT version FROM prompt_versions WHERE version = $1 FOR UPDATE";
  // Runs after LOCK_VERSION in the same transaction, so its snapshot includes every rating committed before
  // the lock was granted: two refreshes of one version can never write an older count over a newer one.
  private static final String REFRESH_PERFORMANCE =
    "UPDATE prompt_versions pv SET avg_rating = s.avg_rating, sample_count = s.sample_count, win_rate = w.win_rate,"
      + " last_used = GREATEST(pv.last_used, s.last_rated)"
      + " FROM (SELECT avg(r.rating)::float8 AS avg_rating, count(*)::int AS sample_count, max(r.rated_at) AS last_rated"
      + "   FROM ratings r JOIN experiment_options o ON o.id = r.option_id WHERE o.prompt_version = $1) s,"
      + " (SELECT avg(CASE WHEN r.rating > r2.rating THEN 1.0 WHEN r.rating = r2.rating THEN 0.5 ELSE 0.0 END)::float8"
      + "   AS win_rate FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + "   JOIN experiment_options o2 ON o2.experiment_id = o.experiment_id AND o2.id <> o.id"
      + "     AND o2.prompt_version <> o.prompt_version"
      + "   JOIN ratings r2 ON r2.option_id = o2.id WHERE o.prompt_version = $1) w"
      + " WHERE pv.version = $1";
  private static final String MARK_USED =
    "UPDATE prompt_versions SET last_used = GREATEST(last_used, now()) WHERE version = ANY($1)";
  private static final String VERSIONS_WITH_PERFORMANCE =
    "SELECT version, parent_version, document, is_current, avg_rating, sample_count, win_rate, last_used, created_at"
      + " FROM prompt_versions";
  private static final String ONE_VERSION_PERFORMANCE = VERSIONS_WITH_PERFORMANCE + " WHERE version = $1";
  private static final String ALL_SAMPLES = "SELECT count(*)::int FROM ratings";

  private final Pool pool;

  EvolutionQueries(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /**
   * Mirrors the stored versions (parents first) and the current pointer in one transaction; the files win.
   *
   * @return the version that was current in the database before, if any
   */
  Future<Optional<String>> mirror(List<PromptVersion> parentFirst, String current) {
    List<Tuple> rows = parentFirst.stream().map(EvolutionQueries::versionRow).toList();
    return storage("mirror the prompt versions", pool.withTransaction(conn ->
      conn.query(CURRENT_VERSION_NAME).execute()
        .compose(before -> (rows.isEmpty() ? Future.succeededFuture()
          : conn.preparedQuery(UPSERT_VERSION).executeBatch(rows))
          .compose(done -> setCurrent(conn, current))
          .map(done -> before.size() == 0 ? Optional.<String>empty()
            : Optional.of(before.iterator().next().getString("version"))))));
  }

  /** Mirrors one new version (its parent is already mirrored). */
  Future<Void> mirrorOne(SqlConnection conn, PromptVersion version) {
    return conn.preparedQuery(UPSERT_VERSION).execute(versionRow(version)).mapEmpty();
  }

  static Future<Void> setCurrent(SqlConnection conn, String version) {
    return conn.preparedQuery(CLEAR_CURRENT).execute(Tuple.of(version))
      .compose(done -> conn.preparedQuery(SET_CURRENT).execute(Tuple.of(version)))
      .mapEmpty();
  }

  private static Tuple versionRow(PromptVersion v) {
    return Tuple.of(v.name(), v.parentVersion() == null ? null : v.parentVersion().toString(),
      new JsonObject(PromptVersionJson.toCompactString(PromptVersionJson.toNode(v))),
      OffsetDateTime.ofInstant(v.createdAt(), ZoneOffset.UTC));
  }

  /** Recomputes performance of the named versions from the ratings, one short transaction each. */
  Future<Void> refreshPerformance(Collection<String> versions) {
    Future<Void> chain = Future.succeededFuture();
    for (String version : versions) {
      chain = chain.compose(done -> storage("refresh the performance of " + version,
        pool.withTransaction(conn -> conn.preparedQuery(LOCK_VERSION).execute(Tuple.of(version))
          .compose(locked -> conn.preparedQuery(REFRESH_PERFORMANCE).execute(Tuple.of(version)))
          .mapEmpty())));
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

  /** The current version and its document, as mirrored. */
  Future<CurrentVersion> currentVersion() {
    return storage("read the current prompt version", pool.query(CURRENT_DOCUMENT).execute())
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(new RequestFailure(FailureCodes.INTERNAL, "no prompt version is current"))
        : Future.succeededFuture(new CurrentVersion(rows.iterator().next().getString("version"),
          rows.iterator().next().getJsonObject("document"))));
  }

  /** A version name and its document. */
  record CurrentVersion(String version, JsonObject document) {
  }

  Future<Void> markUsed(Collection<String> versions) {
    return storage("mark prompt versions used",
      pool.preparedQuery(MARK_USED).execute(Tuple.of(versions.toArray(new String[0])))).mapEmpty();
  }

  /** Every version with its live performance, newest first. */
  Future<JsonArray> versionsWithPerformance() {
    return storage("list the prompt versions", pool.query(VERSIONS_WITH_PERFORMANCE).execute())
      .map(rows -> {
        List<JsonObject> list = new ArrayList<>();
        rows.forEach(row -> list.add(summary(row)));
        list.sort((a, b) -> compareVersions(b.getString("version"), a.getString("version")));
        return new JsonArray(new ArrayList<>(list));
      });
  }

  /** One version's summary, or empty when it is not mirrored. */
  Future<Optional<JsonObject>> versionSummary(String version) {
    return storage("read a prompt version", pool.preparedQuery(ONE_VERSION_PERFORMANCE).execute(Tuple.of(version)))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(summary(rows.iterator().next())));
  }

  Future<Integer> samplesCollected() {
    return storage("count the samples", pool.query(ALL_SAMPLES).execute())
      .map(rows -> rows.iterator().next().getInteger(0));
  }

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

  static String iso(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  static int compareVersions(String a, String b) {
    return PromptVersionName.parse(a).compareTo(PromptVersionName.parse(b));
  }

  /** Turns any database failure into STORAGE_FAILED with a sentence saying what could not be done. */
  static <T> Future<T> storage(String what, Future<T> future) {
    return future.recover(failure -> {
      if (failure instanceof RequestFailure) {
        return Future.failedFuture(failure);
      }
      LOG.error("database failure: could not {}", what, failure);
      return Future.failedFuture(new RequestFailure(FailureCodes.STORAGE_FAILED, "the database could not " + what));
    });
  }
}
