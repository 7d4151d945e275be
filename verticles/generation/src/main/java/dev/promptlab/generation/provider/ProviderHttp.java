package dev.promptlab.generation.provider;

import dev.promptlab.generation.image.ImageRejectedException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP step of a provider call with its timeout, the mapping of HTTP outcomes to
 * {@link ProviderFailure} kinds, and retries with jittered back-off where repeating the step is safe.
 * Messages name the provider, the step and the status — never a header, a body or a key.
 */
final class ProviderHttp {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);

  /** Which failures a step may be repeated after. */
  enum Retry {
    /** Reads and idempotent writes: timeouts, 429, 5xx and refused connections. */
    SAFE,
    /** Calls that create a paid job: only when the service said it did nothing (429) or was never reached. */
    ONLY_IF_NOT_RECEIVED
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String provider;
  private final ResilienceSettings settings;
  private final DoubleSupplier random;

  ProviderHttp(Vertx vertx, WebClient client, String provider, ResilienceSettings settings, DoubleSupplier random) {
    this.vertx = vertx;
    this.client = client;
    this.provider = provider;
    this.settings = settings;
    this.random = random;
  }

  ResilienceSettings settings() {
    return settings;
  }

  WebClient client() {
    return client;
  }

  /** Sends with {@code attempt} (a fresh request each time) until a 2xx answer or a final failure. */
  Future<HttpResponse<Buffer>> call(String step, Deadline deadline, Retry retry,
                                    Supplier<Future<HttpResponse<Buffer>>> attempt) {
    return call(step, deadline, retry, settings.requestTimeoutMs(), attempt);
  }

  /** As {@link #call(String, Deadline, Retry, Supplier)} with a step timeout other than the usual one. */
  Future<HttpResponse<Buffer>> call(String step, Deadline deadline, Retry retry, long stepTimeoutMs,
                                    Supplier<Future<HttpResponse<Buffer>>> attempt) {
    return tryOnce(step, deadline, retry, stepTimeoutMs, attempt, 1);
  }

  /**
   * Fetches a finished image from the provider's file host. No credentials are sent: the URL comes from
   * the provider's answer and may point anywhere.
   */
  Future<Buffer> download(String url, Deadline deadline) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      return Future.failedFuture(badResponse("result", "no downloadable image URL"));
    }
    return call("download", deadline, Retry.SAFE, () -> client.requestAbs(HttpMethod.GET, url)
        .idleTimeout(settings.requestTimeoutMs()).send())
      .map(HttpResponse::body)
      .compose(body -> body == null || body.length() == 0
        ? Future.failedFuture(badResponse("download", "an empty image"))
        : Future.succeededFuture(body));
  }

  /** Waits {@code pollIntervalMs}, or fails with TIMEOUT when the deadline would pass first. */
  Future<Void> pause(Deadline deadline, String what) {
    if (settings.pollIntervalMs() >= deadline.remainingMs()) {
      return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.TIMEOUT,
        provider + " did not finish " + what + " within " + settings.totalTimeoutMs() / 1000 + " s"));
    }
    return vertx.timer(settings.pollIntervalMs(), TimeUnit.MILLISECONDS).mapEmpty();
  }

  private Future<HttpResponse<Buffer>> tryOnce(String step, Deadline deadline, Retry retry, long stepTimeoutMs,
                                               Supplier<Future<HttpResponse<Buffer>>> attempt, int number) {
    long budget = Math.min(stepTimeoutMs, deadline.remainingMs());
    if (budget <= 0) {
      return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.TIMEOUT,
        provider + " did not finish in time (" + step + ")"));
    }
    return Future.<Void>succeededFuture().compose(ignored -> attempt.get())
      .timeout(budget, TimeUnit.MILLISECONDS)
      .recover(failure -> Future.failedFuture(transportFailure(step, failure)))
      .compose(response -> response.statusCode() / 100 == 2
        ? Future.succeededFuture(response)
        : Future.failedFuture(statusFailure(step, response)))
      .recover(failure -> {
        ProviderFailure pf = (ProviderFailure) failure;
        if (number >= settings.maxAttempts() || !retryable(pf, retry)) {
          return Future.failedFuture(pf);
        }
        long delay = settings.backoff().delayMs(number, pf.retryAfterMs(), random.getAsDouble());
        if (delay >= deadline.remainingMs()) {
          return Future.failedFuture(pf);
        }
        LOG.info("{} {}: {} — retry {} in {} ms", provider, step, pf.kind().wire(), number, delay);
        return vertx.timer(delay, TimeUnit.MILLISECONDS)
          .compose(done -> tryOnce(step, deadline, retry, stepTimeoutMs, attempt, number + 1));
      });
  }

  private static boolean retryable(ProviderFailure failure, Retry retry) {
    boolean notReceived = failure.kind() == ProviderFailure.Kind.RATE_LIMITED || failure.getCause() instanceof ConnectException;
    return retry == Retry.SAFE ? failure.retryable() || notReceived : notReceived;
  }

  private ProviderFailure transportFailure(String step, Throwable failure) {
    if (failure instanceof ProviderFailure pf) {
      return pf;
    }
    if (failure instanceof TimeoutException) {
      return new ProviderFailure(ProviderFailure.Kind.TIMEOUT, provider + " did not answer in time (" + step + ")", failure);
    }
    if (failure instanceof ConnectException) {
      return new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR, provider + " cannot be reached (" + step + ")", failure);
    }
    return new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR,
      provider + " connection failed (" + step + "): " + failure.getClass().getSimpleName(), failure);
  }

  private ProviderFailure statusFailure(String step, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String where = provider + " " + step + " answered HTTP " + status;
    if (status == 401 || status == 403) {
      return new ProviderFailure(ProviderFailure.Kind.AUTH, where + ": the API key was refused");
    }
    if (status == 429) {
      Long retryAfter = Backoff.parseRetryAfter(response.getHeader("Retry-After"), System.currentTimeMillis());
      return new ProviderFailure(ProviderFailure.Kind.RATE_LIMITED, where + ": rate limited", null, retryAfter);
    }
    if (status >= 500 || status == 408) {
      return new ProviderFailure(ProviderFailure.Kind.SERVER_ERROR, where);
    }
    return new ProviderFailure(ProviderFailure.Kind.OTHER, where + ": the request was refused");
  }

  /** The body as a JSON object, or a BAD_RESPONSE failure. */
  JsonObject json(String step, HttpResponse<Buffer> response) {
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      throw badResponse(step, "an empty body");
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw badResponse(step, "a body that is not a JSON object");
    }
  }

  /**
   * Passes provider failures and refused originals on; anything else thrown while reading an answer
   * (a field of the wrong type, say) means the provider answered in a shape we do not understand.
   */
  <T> Future<T> unexpectedShape(Throwable failure) {
    if (failure instanceof ProviderFailure || failure instanceof ImageRejectedException) {
      return Future.failedFuture(failure);
    }
    LOG.warn("{} answered in an unexpected shape: {}", provider, failure.toString());
    return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.BAD_RESPONSE,
      provider + " answered in an unexpected shape", failure));
  }

  ProviderFailure badResponse(String step, String what) {
    return new ProviderFailure(ProviderFailure.Kind.BAD_RESPONSE, provider + " " + step + " returned " + what);
  }
}
