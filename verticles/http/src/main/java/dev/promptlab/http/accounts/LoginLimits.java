package dev.promptlab.http.accounts;

import java.time.Duration;

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
}
