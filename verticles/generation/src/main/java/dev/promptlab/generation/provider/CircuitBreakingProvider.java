package dev.promptlab.generation.provider;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a circuit breaker in front of an external provider: after {@code maxFailures} consecutive provider
 * failures, calls are refused at once (CIRCUIT_OPEN) for {@code resetMs}, then one call is let through to
 * probe. Only {@link ProviderFailure}s count — a bad original is not the provider's fault. Timeouts are
 * the provider's own job (its deadline), so the breaker's timer is off.
 */
public final class CircuitBreakingProvider implements ImageProvider {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingProvider.class);

  private final ImageProvider delegate;
  private final CircuitBreaker breaker;

  public CircuitBreakingProvider(Vertx vertx, ImageProvider delegate, int maxFailures, long resetMs) {
    this.delegate = delegate;
    this.breaker = CircuitBreaker.create("promptlab-provider-" + delegate.name(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(maxFailures)
        .setResetTimeout(resetMs)
        .setTimeout(-1)
        .setFallbackOnFailure(false)
        .setNotificationAddress(null))
      .openHandler(v -> LOG.warn("circuit of provider {} opened: calls are refused for {} ms", delegate.name(), resetMs))
      .halfOpenHandler(v -> LOG.info("circuit of provider {} half open: probing with the next call", delegate.name()))
      .closeHandler(v -> LOG.info("circuit of provider {} closed", delegate.name()));
    this.breaker.<Buffer>failurePolicy(outcome -> outcome.failed() && outcome.cause() instanceof ProviderFailure);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Future<Buffer> generate(ProviderRequest request) {
    return breaker.<Buffer>execute(() -> delegate.generate(request))
      .recover(failure -> Future.failedFuture(failure instanceof OpenCircuitException
        ? new ProviderFailure(ProviderFailure.Kind.CIRCUIT_OPEN,
          "provider " + delegate.name() + " is failing repeatedly; it is paused for a short while")
        : failure));
  }

  @Override
  public Future<Void> close() {
    breaker.close();
    return delegate.close();
  }
}
