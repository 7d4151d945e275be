package dev.promptlab.http.accounts;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits password guessing without letting a stranger lock a trainer out.
 *
 * <ul>
 *   <li>Per (account, client address) pair: {@code freeFailures} failures, then each further attempt waits
 *       {@code firstDelay} doubled for every failure beyond the free ones, up to {@code maxDelay}. A success
 *       from the pair forgets its failures.</li>
 *   <li>Per account, all addresses together: once {@code accountCeiling} failures fall within {@code window},
 *       only addresses that have logged into that account before (the last {@value #KNOWN_ADDRESSES}) may try;
 *       so guessing from many addresses stops, while the trainer's own addresses still get in. One address
 *       alone cannot reach the ceiling: its pair delays allow it far fewer attempts per window.</li>
 *   <li>Per address: at most {@code parallelPerAddress} password checks in progress, so parallel requests cannot
 *       fill the hashing threads.</li>
 * </ul>
 *
 * <p>An attempt is counted as a failure when it is {@linkplain #reserve reserved}, before the password is checked,
 * so parallel requests cannot all pass the check before any of them is counted; a success then takes it back.
 * State is kept in memory (a restart forgets it); {@link SharedLoginThrottle} keeps the same rules in PostgreSQL for
 * the nodes of a cluster. Thread-safe.
 */
public final class LoginLimiter implements LoginThrottle {

  static final int KNOWN_ADDRESSES = 20;
  /** Above this many remembered keys, stale ones are dropped before adding another. */
  private static final int PRUNE_ABOVE = 10_000;

  private final LoginLimits limits;
  private final Clock clock;
  private final Map<String, Pair> pairs = new HashMap<>();
  private final Map<String, Deque<Instant>> accountFailures = new HashMap<>();
  private final Map<String, Map<String, Instant>> knownAddresses = new HashMap<>();
  private final Map<String, Integer> inProgress = new HashMap<>();

  public LoginLimiter(LoginLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** A reserved attempt of this limiter. */
  private final class MemoryAttempt implements Attempt {
    private final String account;
    private final String address;
    private final Instant at;
    private boolean finished;

    private MemoryAttempt(String account, String address, Instant at) {
      this.account = account;
      this.address = address;
      this.at = at;
    }

    @Override
    public void succeeded() {
      synchronized (LoginLimiter.this) {
        if (finish()) {
          pairs.remove(pairKey(account, address));
          Deque<Instant> failures = accountFailures.get(account);
          if (failures != null) {
            failures.removeFirstOccurrence(at);
          }
          Map<String, Instant> known = knownAddresses.computeIfAbsent(account, k -> new LinkedHashMap<>());
          known.remove(address);
          known.put(address, clock.instant());
          if (known.size() > KNOWN_ADDRESSES) {
            known.remove(known.keySet().iterator().next());
          }
        }
      }
    }

    @Override
    public void failed() {
      synchronized (LoginLimiter.this) {
        finish();
      }
    }

    private boolean finish() {
      if (finished) {
        return false;
      }
      finished = true;
      inProgress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
      return true;
    }
  }

  @Override
  public Future<Decision> admit(String account, String address) {
    return Future.succeededFuture(reserve(account, address));
  }

  /**
   * Reserves an attempt of {@code address} on {@code account} (counted as a failure until it succeeds), or says
   * how long to wait. {@code account} is the normalised email ("" when none was given).
   */
  public synchronized Decision reserve(String account, String address) {
    Instant now = clock.instant();
    if (pairs.size() + accountFailures.size() > PRUNE_ABOVE) {
      prune(now);
    }
    if (inProgress.getOrDefault(address, 0) >= limits.parallelPerAddress()) {
      return Decision.refuse(Duration.ofSeconds(1));
    }
    String key = pairKey(account, address);
    Pair pair = pairs.get(key);
    if (pair != null && forgotten(pair, now)) {
      pairs.remove(key);
      pair = null;
    }
    if (pair != null && pair.failures >= limits.freeFailures()) {
      Instant next = pair.last.plus(delayAfter(pair.failures));
      if (next.isAfter(now)) {
        return Decision.refuse(Duration.between(now, next));
      }
    }
    Deque<Instant> failures = accountFailures.computeIfAbsent(account, k -> new ArrayDeque<>());
    dropOlderThanWindow(failures, now);
    if (failures.size() >= limits.accountCeiling() && !knownAddresses.getOrDefault(account, Map.of()).containsKey(address)) {
      return Decision.refuse(Duration.between(now, failures.peekFirst().plus(limits.window())));
    }
    if (pair == null) {
      pair = new Pair();
      pairs.put(key, pair);
    }
    pair.failures++;
    pair.last = now;
    failures.addLast(now);
    inProgress.merge(address, 1, Integer::sum);
    return Decision.allow(new MemoryAttempt(account, address, now));
  }

  private Duration delayAfter(int failures) {
    return limits.delayAfter(failures);
  }

  private boolean forgotten(Pair pair, Instant now) {
    return limits.forgotten(pair.failures, pair.last, now);
  }

  private void dropOlderThanWindow(Deque<Instant> failures, Instant now) {
    Instant oldest = now.minus(limits.window());
    while (!failures.isEmpty() && !failures.peekFirst().isAfter(oldest)) {
      failures.removeFirst();
    }
  }

  private void prune(Instant now) {
    pairs.values().removeIf(pair -> forgotten(pair, now));
    for (Iterator<Deque<Instant>> it = accountFailures.values().iterator(); it.hasNext(); ) {
      Deque<Instant> failures = it.next();
      dropOlderThanWindow(failures, now);
      if (failures.isEmpty()) {
        it.remove();
      }
    }
  }

  private static String pairKey(String account, String address) {
    return account + "\n" + address;
  }

  private static final class Pair {
    int failures;
    Instant last;
  }
}
