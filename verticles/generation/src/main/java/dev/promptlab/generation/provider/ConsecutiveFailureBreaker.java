package dev.promptlab.generation.provider;

import dev.promptlab.contract.ProviderCircuitChanged;
import java.util.function.LongSupplier;

/**
 * The state of one provider's circuit, with these rules:
 * <ul>
 *   <li>{@link State#CLOSED}: every call is let through. {@code maxFailures} failures in a row open the
 *   circuit; a success sets the count back to zero, however long ago the failures were.</li>
 *   <li>{@link State#OPEN}: every call is refused, until {@code resetMs} have passed since it opened.</li>
 *   <li>{@link State#HALF_OPEN}: once the reset time has passed, exactly one call (the trial) is let through
 *   and the others are refused while it runs. A successful trial closes the circuit, a failed one opens it
 *   again for another {@code resetMs}. A trial that ends without telling anything about the provider (a bad
 *   original) hands the trial to the next call.</li>
 * </ul>
 * Time comes from the clock given at construction (milliseconds), so the reset is tested without waiting.
 * Not thread-safe: one instance lives on one verticle's event loop.
 */
public final class ConsecutiveFailureBreaker {

  /** The circuit's states; {@link #wire()} is their name in {@link ProviderCircuitChanged}. */
  public enum State {
    CLOSED(ProviderCircuitChanged.CLOSED),
    HALF_OPEN(ProviderCircuitChanged.HALF_OPEN),
    OPEN(ProviderCircuitChanged.OPEN);

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final int maxFailures;
  private final long resetMs;
  private final LongSupplier clockMs;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAtMs;
  private boolean trialRunning;

  public ConsecutiveFailureBreaker(int maxFailures, long resetMs, LongSupplier clockMs) {
    if (maxFailures < 1 || resetMs < 1) {
      throw new IllegalArgumentException("maxFailures and resetMs must be positive, got " + maxFailures + ", " + resetMs);
    }
    this.maxFailures = maxFailures;
    this.resetMs = resetMs;
    this.clockMs = clockMs;
  }

  /** The state now: an open circuit whose reset time has passed reads as half open. */
  public State state() {
    if (state == State.OPEN && clockMs.getAsLong() - openedAtMs >= resetMs) {
      state = State.HALF_OPEN;
      trialRunning = false;
    }
    return state;
  }

  /**
   * Whether a call may go to the provider now. Every permitted call must be followed by exactly one of
   * {@link #onSuccess()}, {@link #onFailure()} or {@link #onNeutral()}.
   */
  public boolean tryAcquire() {
    return switch (state()) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> {
        if (trialRunning) {
          yield false;
        }
        trialRunning = true;
        yield true;
      }
    };
  }

  /**
   * The provider answered: the failure count starts over and a half-open circuit closes. An open circuit
   * stays open (the answer is to a call let through before it opened): only a trial closes it.
   */
  public void onSuccess() {
    if (state == State.OPEN) {
      return;
    }
    state = State.CLOSED;
    consecutiveFailures = 0;
    trialRunning = false;
  }

  /** The provider failed: a failed trial, or the {@code maxFailures}-th failure in a row, opens the circuit. */
  public void onFailure() {
    if (state == State.OPEN) {
      // A call let through before the circuit opened ended after it: the circuit is open already.
      return;
    }
    consecutiveFailures++;
    if (state == State.HALF_OPEN || consecutiveFailures >= maxFailures) {
      state = State.OPEN;
      openedAtMs = clockMs.getAsLong();
      trialRunning = false;
    }
  }

  /** The call ended without telling anything about the provider: the count is left as it is. */
  public void onNeutral() {
    if (state == State.HALF_OPEN) {
      trialRunning = false;
    }
  }

  /** Milliseconds until an open circuit lets a trial through (0 when it is not open). */
  public long msUntilTrial() {
    return state() == State.OPEN ? Math.max(0, openedAtMs + resetMs - clockMs.getAsLong()) : 0;
  }
}
