package dev.promptlab.http.accounts;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing and checking off the event loop, on a pool of its own: at most {@code threads} run at
 * once and at most {@code maxWaiting} more wait, so a flood of logins neither occupies the shared worker
 * pool (template rendering, file work) nor builds an unbounded queue; beyond that a check is refused at
 * once with 503. A check of an email without an account verifies a decoy hash made with the configured
 * iterations, so both answers cost the same work.
 */
public final class PasswordChecks {

  private final WorkerExecutor workers;
  private final PasswordHasher hasher;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();
  private final String decoyHash;

  /** Blocking (it hashes the decoy): build it on a worker. */
  public PasswordChecks(Vertx vertx, PasswordHasher hasher, int threads, int maxWaiting) {
    if (threads < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException("password checks need threads >= 1 and maxWaiting >= 0");
    }
    this.workers = vertx.createSharedWorkerExecutor("promptlab-password-checks", threads);
    this.hasher = hasher;
    this.capacity = threads + maxWaiting;
    this.decoyHash = hasher.hash(Secrets.newToken());
  }

  /**
   * Whether {@code password} matches {@code storedHash}; with no stored hash (no such account) the decoy is
   * checked and the answer is false.
   */
  public Future<Boolean> matches(String password, String storedHash) {
    String candidate = password == null ? "" : password;
    return run(() -> {
      boolean matches = hasher.matches(candidate, storedHash == null ? decoyHash : storedHash);
      return storedHash != null && matches;
    });
  }

  /** A new hash of {@code password} with the configured iterations. */
  public Future<String> hash(String password) {
    return run(() -> hasher.hash(password));
  }

  /** Runs blocking password work on the bounded pool; 503 {@code busy} when it is full. */
  public <T> Future<T> run(Callable<T> work) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      return Future.failedFuture(new ApiError(503, "busy", "too many password checks are waiting; try again"
        + " in a moment"));
    }
    return workers.executeBlocking(work, false).andThen(done -> admitted.decrementAndGet());
  }

  public Future<Void> close() {
    return workers.close();
  }
}
