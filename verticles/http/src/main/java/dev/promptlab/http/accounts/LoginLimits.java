package dev.promptlab.http.accounts;

import java.time.Duration;
import java.time.Instant;

/**
 * The figures of {@link LoginLimiter}.
 *
 * @param freeFailures failures one client address may make on one account before it has to wait
 * @param firstDelay the wait after the first failure beyond {@code freeFailures}; it doubles with each further one
 * @param maxDelay the longest wait of one (account, address) pair
 * @param accountCeiling failures of one account, from all addresses together, within {@code window}, after which
 *     only addresses that have logged into it before may try
 * @param window how long failures count towards the account ceiling; a pair is forgotten once it has been
 *     allowed to try again for this long without trying
 * @param parallelPerAddress password checks one address may have in progress at once
 */
public record LoginLimits(int freeFailures, Duration firstDelay, Duration maxDelay, int accountCeiling,
                          Duration window, int parallelPerAddress) {

  public LoginLimits {
    if (freeFailures < 1 || accountCeiling < freeFailures || parallelPerAddress < 1) {
      throw new IllegalArgumentException("login limits need freeFailures >= 1, accountCeiling >= freeFailures"
        + " and parallelPerAddress >= 1");
    }
    if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0 || window.isZero()
      || window.isNegative()) {
      throw new IllegalArgumentException("login delays and window must be positive, maxDelay >= firstDelay");
    }
  }

  /** The wait after {@code failures} failures of one (account, address) pair (only asked beyond the free ones). */
  public Duration delayAfter(int failures) {
    int doublings = failures - freeFailures;
    if (doublings >= 40) {
      return maxDelay;
    }
    Duration delay = firstDelay.multipliedBy(1L << doublings);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }

  /** A pair is forgotten once it has been free to try again for a whole window without trying. */
  public boolean forgotten(int failures, Instant last, Instant now) {
    Duration wait = failures >= freeFailures ? delayAfter(failures) : Duration.ZERO;
    return !last.plus(wait).plus(window).isAfter(now);
  }
}
