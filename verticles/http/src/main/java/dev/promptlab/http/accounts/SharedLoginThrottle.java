package dev.promptlab.http.accounts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LoginLimiter}'s rules with the counts in PostgreSQL (tables {@code login_pairs}, {@code login_account_failures},
 * {@code login_known_addresses}), for the nodes of a cluster: a guess counts on every node. One account's counts
 * change under a transaction-scoped advisory lock on it, so parallel attempts on several nodes are still counted
 * before their passwords are checked. The limit of password checks in progress per address stays in this node's
 * memory: it protects this node's hashing threads. Times come from the node's clock (nodes are expected to keep
 * theirs in sync, as a cluster needs anyway).
 */
public final class SharedLoginThrottle implements LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(SharedLoginThrottle.class);
  /** The first key of the per-account advisory locks ("LG"); the second is the account's hash. */
  private static final int LOCK_CLASS = 0x4C47;

  private static final String LOCK_ACCOUNT = "SELECT pg_advisory_xact_lock($1, hashtext($2))";
  private static final String PAIR = "SELECT failures, last_at FROM login_pairs WHERE account = $1 AND address = $2";
  private static final String DROP_OLD_ACCOUNT_FAILURES =
    "DELETE FROM login_account_failures WHERE account = $1 AND at <= $2";
  private static final String ACCOUNT_FAILURES =
    "SELECT count(*) AS failures, min(at) AS oldest FROM login_account_failures WHERE account = $1";
  private static final String KNOWN = "SELECT 1 FROM login_known_addresses WHERE account = $1 AND address = $2";
  private static final String COUNT_PAIR =
    "INSERT INTO login_pairs (account, address, failures, last_at) VALUES ($1, $2, $3, $4)"
      + " ON CONFLICT (account, address) DO UPDATE SET failures = EXCLUDED.failures, last_at = EXCLUDED.last_at";
  private static final String COUNT_ACCOUNT =
    "INSERT INTO login_account_failures (account, at) VALUES ($1, $2) RETURNING id";
  /** A pair whose last attempt is older than the longest wait plus the window is forgotten whatever its count. */
  private static final String DROP_FORGOTTEN_PAIRS = "DELETE FROM login_pairs WHERE last_at <= $1";
  private static final String FORGET_PAIR = "DELETE FROM login_pairs WHERE account = $1 AND address = $2";
  private static final String UNCOUNT = "DELETE FROM login_account_failures WHERE id = $1";
  private static final String KNOW =
    "INSERT INTO login_known_addresses (account, address, last_success_at) VALUES ($1, $2, $3)"
      + " ON CONFLICT (account, address) DO UPDATE SET last_success_at = EXCLUDED.last_success_at";
  private static final String KEEP_NEWEST_KNOWN =
    "DELETE FROM login_known_addresses WHERE account = $1 AND address NOT IN (SELECT address FROM"
      + " login_known_addresses WHERE account = $1 ORDER BY last_success_at DESC, address LIMIT $2)";

  private final Pool pool;
  private final LoginLimits limits;
  private final Clock clock;
  private final Map<String, Integer> inProgress = new HashMap<>();

  public SharedLoginThrottle(Pool pool, LoginLimits limits, Clock clock) {
    this.pool = pool;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public Future<Decision> admit(String account, String address) {
    synchronized (inProgress) {
      if (inProgress.getOrDefault(address, 0) >= limits.parallelPerAddress()) {
        return Future.succeededFuture(Decision.refuse(Duration.ofSeconds(1)));
      }
      inProgress.merge(address, 1, Integer::sum);
    }
    Instant now = clock.instant();
    return pool.withTransaction(conn -> reserve(conn, account, address, now))
      .onComplete(decided -> {
        // A check that will not run frees its place at once; an allowed one frees it when its outcome is known.
        if (decided.failed() || !decided.result().allowed()) {
          release(address);
        }
      });
  }

  /** Counts the attempt, or says how long to wait and counts nothing. */
  private Future<Decision> reserve(SqlConnection conn, String account, String address, Instant now) {
    return conn.preparedQuery(LOCK_ACCOUNT).execute(Tuple.of(LOCK_CLASS, account))
      .compose(locked -> conn.preparedQuery(PAIR).execute(Tuple.of(account, address)))
      .compose(pairs -> {
        int failures = 0;
        if (pairs.size() > 0) {
          Row pair = pairs.iterator().next();
          Instant last = pair.getOffsetDateTime("last_at").toInstant();
          failures = limits.forgotten(pair.getInteger("failures"), last, now) ? 0 : pair.getInteger("failures");
          if (failures >= limits.freeFailures()) {
            Instant next = last.plus(limits.delayAfter(failures));
            if (next.isAfter(now)) {
              return Future.succeededFuture(Decision.refuse(Duration.between(now, next)));
            }
          }
        }
        int counted = failures + 1;
        return conn.preparedQuery(DROP_OLD_ACCOUNT_FAILURES).execute(Tuple.of(account, at(now.minus(limits.window()))))
          .compose(dropped -> conn.preparedQuery(ACCOUNT_FAILURES).execute(Tuple.of(account)))
          .compose(rows -> {
            Row row = rows.iterator().next();
            if (row.getLong("failures") < limits.accountCeiling()) {
              return count(conn, account, address, counted, now);
            }
            Instant oldest = row.getOffsetDateTime("oldest").toInstant();
            return conn.preparedQuery(KNOWN).execute(Tuple.of(account, address)).compose(known -> known.size() > 0
              ? count(conn, account, address, counted, now)
              : Future.succeededFuture(Decision.refuse(Duration.between(now, oldest.plus(limits.window())))));
          });
      });
  }

  private Future<Decision> count(SqlConnection conn, String account, String address, int failures, Instant now) {
    return conn.preparedQuery(COUNT_PAIR).execute(Tuple.of(account, address, failures, at(now)))
      .compose(v -> conn.preparedQuery(DROP_FORGOTTEN_PAIRS)
        .execute(Tuple.of(at(now.minus(limits.maxDelay()).minus(limits.window())))))
      .compose(v -> conn.preparedQuery(COUNT_ACCOUNT).execute(Tuple.of(account, at(now))))
      .map(rows -> Decision.allow(new SharedAttempt(account, address, rows.iterator().next().getLong("id"))));
  }

  private void release(String address) {
    synchronized (inProgress) {
      inProgress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** An attempt counted in the database; its outcome is written there (a failed write is logged). */
  private final class SharedAttempt implements Attempt {
    private final String account;
    private final String address;
    private final long countedId;
    private boolean finished;

    private SharedAttempt(String account, String address, long countedId) {
      this.account = account;
      this.address = address;
      this.countedId = countedId;
    }

    @Override
    public void succeeded() {
      if (finish()) {
        Instant now = clock.instant();
        pool.withTransaction(conn -> conn.preparedQuery(LOCK_ACCOUNT).execute(Tuple.of(LOCK_CLASS, account))
            .compose(v -> conn.preparedQuery(FORGET_PAIR).execute(Tuple.of(account, address)))
            .compose(v -> conn.preparedQuery(UNCOUNT).execute(Tuple.of(countedId)))
            .compose(v -> conn.preparedQuery(KNOW).execute(Tuple.of(account, address, at(now))))
            .compose(v -> conn.preparedQuery(KEEP_NEWEST_KNOWN).execute(Tuple.of(account, LoginLimiter.KNOWN_ADDRESSES))))
          .onFailure(e -> LOG.warn("A successful login was not recorded in the shared throttle: {}", e.getMessage()));
      }
    }

    @Override
    public void failed() {
      finish();
    }

    private synchronized boolean finish() {
      if (finished) {
        return false;
      }
      finished = true;
      release(address);
      return true;
    }
  }
}
