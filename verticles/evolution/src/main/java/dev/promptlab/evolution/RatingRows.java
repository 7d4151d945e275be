package dev.promptlab.evolution;

import static dev.promptlab.evolution.Transactions.storage;

import dev.promptlab.evolution.analysis.CommentIssueAnalyzer.RatedComment;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * What the evolution verticle reads of the rated samples, through the http verticle's published view
 * rated_variants: how many there are, which ones it has not applied yet (marked applied in
 * evolution_applied_ratings in the same governed transaction that applies them), and the latest comments of a
 * version.
 */
final class RatingRows {

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

  private final Pool pool;

  RatingRows(Pool pool) {
    this.pool = pool;
  }

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
}
