package dev.promptlab.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The singleton leases of one node of a cluster ({@code docs/cluster.md}): a PostgreSQL session-level advisory lock
 * per singleton, held on a connection of its own. Every {@code retryMs} the node checks that connection (when it
 * holds a lease) and tries the locks of the singletons it may run; a lock it gets starts the singleton here, and a
 * lock it may have lost (the connection failed or closed) stops every singleton it runs at once, before anything
 * else: a singleton runs only while its node holds the lock. Used on its creator's context only.
 */
final class SingletonLeases {

  /** The first key of every PromptLab lease ("PL"); the second is the singleton's {@link VerticleCatalog#leaseOf}. */
  static final int LEASE_CLASS = 0x504C;
  /** Prefix of the lease connection's {@code application_name}, followed by the node's name. */
  static final String APPLICATION_PREFIX = "promptlab-node:";

  private static final Logger LOG = LoggerFactory.getLogger(SingletonLeases.class);
  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1, $2)";
  private static final String UNLOCK = "SELECT pg_advisory_unlock($1, $2)";
  private static final String CHECK = "SELECT 1";
  /** Two-key advisory locks appear in pg_locks with classid = first key, objid = second, objsubid = 2. */
  private static final String HOLDERS = "SELECT l.objid::int8 AS lease, a.application_name FROM pg_locks l"
    + " JOIN pg_stat_activity a ON a.pid = l.pid"
    + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::int8 = $1";

  /** What the node does when it gains or loses a singleton. */
  interface Holder {

    /** Deploys {@code singleton} here; a failure gives its lease back for another node. */
    Future<Void> start(String singleton);

    /** Undeploys {@code singleton}; never fails (a failure is logged by the holder). */
    Future<Void> stop(String singleton);
  }

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final String nodeName;
  private final List<String> candidates;
  private final long retryMs;
  private final Holder holder;
  private final Set<String> held = new LinkedHashSet<>();
  private PgConnection connection;
  private Future<Void> round = Future.succeededFuture();
  private long timer = -1;
  private boolean stopped;
  private String lastFailure;

  /**
   * @param candidates the singletons this node may run, in the order they are tried and started
   */
  SingletonLeases(Vertx vertx, PgConnectOptions database, String nodeName, List<String> candidates, long retryMs,
                  Holder holder) {
    this.vertx = vertx;
    // The node's name on its lease connection is how every node reads who holds what (holders()).
    this.options = new PgConnectOptions(database.toJson())
      .addProperty("application_name", APPLICATION_PREFIX + nodeName);
    this.nodeName = nodeName;
    this.candidates = List.copyOf(candidates);
    this.retryMs = retryMs;
    this.holder = holder;
  }

  /** Tries the leases now and every {@code retryMs} until {@link #stop}. */
  void start() {
    after(this::round).onComplete(ar -> scheduleNext());
  }

  /** The singletons this node runs now. */
  Set<String> held() {
    return Collections.unmodifiableSet(held);
  }

  /**
   * Every singleton's holder as PostgreSQL sees it: singleton name → node name, nobody's singletons left out. Fails
   * when the lease connection is down.
   */
  Future<Map<String, String>> holders() {
    if (connection == null) {
      return Future.failedFuture(new IllegalStateException("the lease connection of node " + nodeName + " is down"));
    }
    return connection.preparedQuery(HOLDERS).execute(Tuple.of(LEASE_CLASS)).map(rows -> {
      Map<String, String> byLease = new LinkedHashMap<>();
      for (Row row : rows) {
        String application = row.getString("application_name");
        byLease.put(String.valueOf(row.getLong("lease")), application != null && application.startsWith(APPLICATION_PREFIX)
          ? application.substring(APPLICATION_PREFIX.length()) : application);
      }
      Map<String, String> holders = new LinkedHashMap<>();
      for (String name : VerticleCatalog.singletons()) {
        String node = byLease.get(String.valueOf(VerticleCatalog.leaseOf(name)));
        if (node != null) {
          holders.put(name, node);
        }
      }
      return holders;
    });
  }

  /**
   * Stops the singletons this node runs, then gives their leases back (in that order, so two nodes never run one
   * together), and tries no more. Waits for a round in progress first.
   */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return after(() -> giveUp("the node stops"));
  }

  private void scheduleNext() {
    if (!stopped) {
      timer = vertx.setTimer(retryMs, id -> after(this::round).onComplete(ar -> scheduleNext()));
    }
  }

  /**
   * Runs {@code step} once the steps before it are done: a singleton is never started by one step while another
   * still stops it.
   */
  private Future<Void> after(Supplier<Future<Void>> step) {
    round = round.transform(ar -> step.get());
    return round;
  }

  /** One round: check the connection when it matters, then try every free lease. Never fails. */
  private Future<Void> round() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return connected()
      .compose(c -> held.isEmpty() ? Future.succeededFuture() : c.query(CHECK).execute().<Void>mapEmpty())
      .compose(v -> tryFree())
      .map(v -> {
        lastFailure = null;
        return v;
      })
      .recover(e -> {
        // Logged once per outage, not at every retry.
        if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
          lastFailure = String.valueOf(e.getMessage());
          LOG.warn("Node {}: the lease connection failed ({}); trying again every {} ms", nodeName, lastFailure, retryMs);
        }
        return giveUp("the lease connection failed: " + e.getMessage());
      });
  }

  private Future<PgConnection> connected() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return PgConnection.connect(vertx, options).map(opened -> {
      connection = opened;
      opened.closeHandler(v -> {
        // Closed under us (the server ended the session, the network dropped it): the locks are gone with it.
        if (connection == opened) {
          connection = null;
          if (!held.isEmpty() && !stopped) {
            after(() -> giveUp("the lease connection closed"));
          }
        }
      });
      return opened;
    });
  }

  private Future<Void> tryFree() {
    Future<Void> chain = Future.succeededFuture();
    for (String name : candidates) {
      chain = chain.compose(v -> held.contains(name) || stopped || connection == null
        ? Future.succeededFuture() : tryLease(name, connection));
    }
    return chain;
  }

  private Future<Void> tryLease(String name, PgConnection on) {
    Tuple key = Tuple.of(LEASE_CLASS, VerticleCatalog.leaseOf(name));
    return on.preparedQuery(TRY_LOCK).execute(key).compose(rows -> {
      if (!rows.iterator().next().getBoolean(0)) {
        return Future.succeededFuture();
      }
      LOG.info("Node {} took the lease of {}: starting it here", nodeName, name);
      return holder.start(name)
        .onSuccess(v -> held.add(name))
        .recover(e -> {
          LOG.error("{} failed to start on node {} ({}); its lease is given back for another node", name, nodeName,
            e.getMessage());
          return on.preparedQuery(UNLOCK).execute(key).<Void>mapEmpty();
        });
    });
  }

  /** Stops every singleton held here, then closes the lease connection (which frees any lock still held). */
  private Future<Void> giveUp(String reason) {
    PgConnection closing = connection;
    connection = null;
    List<String> running = new ArrayList<>(held);
    Collections.reverse(running);
    held.clear();
    if (!running.isEmpty() && stopped) {
      LOG.info("Node {} gives up its leases ({}): stopping {}", nodeName, reason, running);
    } else if (!running.isEmpty()) {
      LOG.warn("Node {} gives up its leases ({}): stopping {}", nodeName, reason, running);
    }
    Future<Void> chain = Future.succeededFuture();
    for (String name : running) {
      chain = chain.compose(v -> holder.stop(name));
    }
    return chain.compose(v -> closing == null ? Future.succeededFuture()
      : closing.close().recover(e -> Future.succeededFuture()));
  }
}
