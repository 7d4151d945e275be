package dev.promptlab.generation.provider;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.generation.provider.ConsecutiveFailureBreaker.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link ConsecutiveFailureBreaker} in front of an external provider: after {@code maxFailures}
 * provider failures in a row, calls are refused at once (CIRCUIT_OPEN) for {@code resetMs}, then one trial
 * call is let through. Only {@link ProviderFailure}s count as failures — a bad original is not the provider's
 * fault and leaves the count alone. Timeouts are the provider's own job (its deadline).
 *
 * <p>Every change of state is handed to {@code onStateChange} (the verticle publishes it for the metrics).
 * Calls move the state; so that an open circuit is also reported half open when nobody calls, a timer
 * looks again when the reset time has passed.
 */
public final class CircuitBreakingProvider implements ImageProvider {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingProvider.class);

  private final Vertx vertx;
  private final ImageProvider delegate;
  private final ConsecutiveFailureBreaker breaker;
  private final Consumer<State> onStateChange;
  private State reported;
  private long trialTimer = -1;

  public CircuitBreakingProvider(Vertx vertx, ImageProvider delegate, ConsecutiveFailureBreaker breaker,
                                 Consumer<State> onStateChange) {
    this.vertx = vertx;
    this.delegate = delegate;
    this.breaker = breaker;
    this.onStateChange = onStateChange;
    this.reported = breaker.state();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  /** The circuit's state now. */
  public State state() {
    return breaker.state();
  }

  @Override
  public Future<Buffer> generate(ProviderRequest request) {
    boolean permitted = breaker.tryAcquire();
    report();
    if (!permitted) {
      return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.CIRCUIT_OPEN,
        "provider " + delegate.name() + " is failing repeatedly; it is paused for a short while"));
    }
    Future<Buffer> outcome;
    try {
      outcome = delegate.generate(request);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.andThen(result -> {
      if (result.succeeded()) {
        breaker.onSuccess();
      } else if (result.cause() instanceof ProviderFailure) {
        breaker.onFailure();
      } else {
        breaker.onNeutral();
      }
      report();
    });
  }

  @Override
  public GenerationParameters applied(GenerationParameters requested) {
    return delegate.applied(requested);
  }

  @Override
  public Future<Void> close() {
    if (trialTimer != -1) {
      vertx.cancelTimer(trialTimer);
      trialTimer = -1;
    }
    return delegate.close();
  }

  private void report() {
    State now = breaker.state();
    if (now == State.OPEN && trialTimer == -1) {
      trialTimer = vertx.setTimer(Math.max(1, breaker.msUntilTrial()), id -> {
        trialTimer = -1;
        report();
      });
    }
    if (now == reported) {
      return;
    }
    reported = now;
    switch (now) {
      case OPEN -> LOG.warn("circuit of provider {} opened: calls are refused for a while", delegate.name());
      case HALF_OPEN -> LOG.info("circuit of provider {} half open: the next call is a trial", delegate.name());
      case CLOSED -> LOG.info("circuit of provider {} closed", delegate.name());
    }
    onStateChange.accept(now);
  }
}
