package dev.promptlab.evolution;

import dev.promptlab.contract.BusFailure;
import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions of the evolution verticle and how their failures reach a caller. A transaction that fails with a
 * serialization failure or a deadlock is run again ({@link #retryingConflicts}); any other database failure
 * becomes STORAGE_FAILED with a sentence saying what could not be done ({@link #storage}).
 */
final class Transactions {

  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

  static final int TRANSACTION_ATTEMPTS = 3;
  private static final String SERIALIZATION_FAILURE = "40001";
  private static final String DEADLOCK_DETECTED = "40P01";

  private final Pool pool;

  Transactions(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code work} in one transaction; a failure rolls everything back. A serialization failure or deadlock
   * runs it again, a bounded number of times.
   */
  <T> Future<T> inTransaction(String what, Function<SqlConnection, Future<T>> work) {
    return storage(what, retryingConflicts(what, () -> transaction(work)));
  }

  /** One attempt at {@code work} in a transaction, its failure as the database reported it. */
  <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for another reason than a serialization failure or a
   * deadlock (SQLSTATE 40001, 40P01), or has run {@value #TRANSACTION_ATTEMPTS} times. Either error means
   * PostgreSQL rolled the transaction back, so running it again is safe.
   */
  static <T> Future<T> retryingConflicts(String what, Supplier<Future<T>> attempt) {
    return retryingConflicts(what, attempt, 1);
  }

  private static <T> Future<T> retryingConflicts(String what, Supplier<Future<T>> attempt, int attempted) {
    return attempt.get().recover(failure -> {
      String state = conflictState(failure);
      if (state == null || attempted >= TRANSACTION_ATTEMPTS) {
        return Future.failedFuture(failure);
      }
      LOG.info("could not {} (SQLSTATE {}, attempt {} of {}); trying again", what, state, attempted,
        TRANSACTION_ATTEMPTS);
      return retryingConflicts(what, attempt, attempted + 1);
    });
  }

  /** The SQLSTATE when {@code failure} is a serialization failure or a deadlock, otherwise null. */
  static String conflictState(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof DatabaseException db
        && (SERIALIZATION_FAILURE.equals(db.getSqlState()) || DEADLOCK_DETECTED.equals(db.getSqlState()))) {
        return db.getSqlState();
      }
    }
    return null;
  }

  /** Turns any database failure into STORAGE_FAILED with a sentence saying what could not be done. */
  static <T> Future<T> storage(String what, Future<T> future) {
    return future.recover(failure -> {
      if (failure instanceof BusFailure) {
        return Future.failedFuture(failure);
      }
      LOG.error("database failure: could not {}", what, failure);
      return Future.failedFuture(BusFailure.storage("the database could not " + what));
    });
  }
}
