package dev.promptlab.http.accounts;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Limits password guessing (the rules: {@link LoginLimiter}). One process keeps the counts in memory
 * ({@link LoginLimiter}); the nodes of a cluster share them in PostgreSQL ({@link SharedLoginThrottle}), so guesses
 * spread over the nodes count once.
 */
public interface LoginThrottle {

  /** A reserved attempt: call exactly one of {@link #succeeded} or {@link #failed} once the password is checked. */
  interface Attempt {

    /** The password was right: the pair's failures are forgotten and the address is known for the account. */
    void succeeded();

    /** The password was wrong (or could not be checked): the attempt stays counted. */
    void failed();
  }

  /** Either an attempt to go on with, or how long the caller must wait. */
  record Decision(Optional<Attempt> attempt, Duration retryAfter) {

    public boolean allowed() {
      return attempt.isPresent();
    }

    static Decision refuse(Duration wait) {
      return new Decision(Optional.empty(), wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
    }

    static Decision allow(Attempt attempt) {
      return new Decision(Optional.of(attempt), Duration.ZERO);
    }
  }

  /**
   * Reserves an attempt of {@code address} on {@code account} (counted as a failure until it succeeds), or says how
   * long to wait. {@code account} is the normalised email ("" when none was given). Fails only when the counts
   * cannot be read or written; the caller refuses the attempt then.
   */
  Future<Decision> admit(String account, String address);
}
