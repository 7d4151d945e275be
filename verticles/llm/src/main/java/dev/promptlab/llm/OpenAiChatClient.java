package dev.promptlab.llm;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client of an OpenAI-compatible {@code POST <base_url>/chat/completions}: OpenAI, Gemini's OpenAI-compatible
 * endpoint, vLLM, Ollama, the llama.cpp server.
 *
 * <p>Each HTTP attempt waits for a free slot ({@code max_concurrent} in flight, {@code max_queued} waiting) and
 * must deliver its whole answer within {@code timeout_ms}, a deadline rather than an idle timeout, so a server that
 * trickles bytes cannot hold a call forever. 408, 409, 429 and 5xx answers, timeouts and connection failures are
 * tried again up to {@code max_attempts} in all, after an exponential back-off with jitter or the wait the server
 * asked for ({@code retry-after-ms}, {@code Retry-After}), whichever is longer; a slot is not held while waiting.
 * A server's wait holds back every attempt of the endpoint until it has passed, not only the refused call's. Other
 * answers fail at once with the server's explanation. The key is sent as a bearer token and never logged.
 */
public final class OpenAiChatClient implements ChatClient {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatClient.class);
  /** Answers that say nothing about the request itself: the same request may succeed later. */
  private static final Set<Integer> RETRYABLE = Set.of(408, 409, 429, 500, 502, 503, 504);

  private final Vertx vertx;
  private final ChatEndpoint endpoint;
  private final ChatObserver observer;
  private final HttpClientAgent http;
  private final CallLimiter limiter;
  private final KeyRedaction redaction;
  /** Until when (System.nanoTime) the server asked this endpoint to send nothing; guarded by {@code this}. */
  private long pausedUntilNanos = System.nanoTime();
  private volatile boolean closed;

  public OpenAiChatClient(Vertx vertx, ChatEndpoint endpoint) {
    this(vertx, endpoint, ChatObserver.NONE);
  }

  public OpenAiChatClient(Vertx vertx, ChatEndpoint endpoint, ChatObserver observer) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.observer = observer;
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(endpoint.connectTimeoutMs(), endpoint.timeoutMs())),
      new PoolOptions().setHttp1MaxSize(endpoint.maxConcurrent()));
    this.limiter = new CallLimiter(vertx, endpoint.maxConcurrent(), endpoint.maxQueued());
    this.redaction = new KeyRedaction(endpoint.apiKey());
    if (endpoint.apiKey() == null) {
      LOG.info("{}: no API key configured, requests to {} are sent without authorization", endpoint.name(),
        endpoint.baseUrl());
    }
  }

  @Override
  public ChatEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request) {
    Buffer body = request.body(endpoint.model(), endpoint.maxTokensParameter()).toBuffer();
    return attempt(body, 1)
      .recover(failure -> Future.failedFuture(failure instanceof ChatFailure ? failure
        : new ChatFailure(ChatFailure.Kind.CONNECTION, 0, 0, "the call failed: " + redaction.clean(failure.toString()))))
      .onSuccess(response -> observer.answered(endpoint, response))
      .onFailure(failure -> observer.failed(endpoint, (ChatFailure) failure));
  }

  /** Calls in flight now (for tests and meters). */
  public int inFlight() {
    return limiter.running();
  }

  /** Calls waiting for a slot now (for tests and meters). */
  public int waiting() {
    return limiter.waiting();
  }

  private Future<ChatResponse> attempt(Buffer body, int attempt) {
    return limiter.submit(() -> afterPause().compose(resumed -> exchange(body)).andThen(this::pauseIfAsked))
      .transform(ar -> ar.succeeded() ? answered(ar.result(), body, attempt) : unanswered(ar.cause(), body, attempt));
  }

  private Future<ChatResponse> answered(Answer answer, Buffer body, int attempt) {
    if (answer.status() == 200) {
      try {
        return Future.succeededFuture(CompletionBody.completion(answer.body(), endpoint.prices(), attempt, redaction));
      } catch (ChatFailure failure) {
        return Future.failedFuture(failure);
      }
    }
    String what = "HTTP " + answer.status() + CompletionBody.errorText(answer.body(), redaction);
    if (RETRYABLE.contains(answer.status())) {
      ChatFailure.Kind kind = answer.status() == 429 ? ChatFailure.Kind.RATE_LIMITED : ChatFailure.Kind.SERVER_ERROR;
      return retryOrFail(body, attempt, kind, answer.status(), what, answer.retryAfterMs());
    }
    ChatFailure.Kind kind = answer.status() == 401 || answer.status() == 403 ? ChatFailure.Kind.UNAUTHORIZED
      : answer.status() >= 400 ? ChatFailure.Kind.REJECTED : ChatFailure.Kind.BAD_RESPONSE;
    return Future.failedFuture(new ChatFailure(kind, answer.status(), attempt, "the LLM answered " + what));
  }

  private Future<ChatResponse> unanswered(Throwable cause, Buffer body, int attempt) {
    if (closed) {
      return Future.failedFuture(new ChatFailure(ChatFailure.Kind.CLOSED, 0, attempt,
        "the LLM client was closed before the answer came"));
    }
    if (cause instanceof ChatFailure failure) {
      return Future.failedFuture(new ChatFailure(failure.kind(), failure.status(), attempt, failure.getMessage()));
    }
    if (cause instanceof TimeoutException) {
      return retryOrFail(body, attempt, ChatFailure.Kind.TIMEOUT, 0, "no answer within " + endpoint.timeoutMs() + " ms",
        RetryAfter.NONE);
    }
    return retryOrFail(body, attempt, ChatFailure.Kind.CONNECTION, 0,
      "connection failed: " + redaction.clean(String.valueOf(cause.getMessage())), RetryAfter.NONE);
  }

  private Future<ChatResponse> retryOrFail(Buffer body, int attempt, ChatFailure.Kind kind, int status, String what,
                                           long retryAfterMs) {
    if (attempt >= endpoint.maxAttempts()) {
      return Future.failedFuture(new ChatFailure(kind, status, attempt, "the LLM failed after " + attempt + " attempt"
        + (attempt == 1 ? "" : "s") + ": " + what));
    }
    if (retryAfterMs > endpoint.maxRetryDelayMs()) {
      // Asking again sooner than the server said only earns another refusal: give the caller the reason instead.
      return Future.failedFuture(new ChatFailure(kind == ChatFailure.Kind.SERVER_ERROR ? kind : ChatFailure.Kind.RATE_LIMITED,
        status, attempt, "the LLM asked to wait " + retryAfterMs + " ms before another attempt, more than"
        + " max_retry_delay_ms (" + endpoint.maxRetryDelayMs() + "): " + what));
    }
    long delay = Math.max(backoff(attempt), retryAfterMs);
    LOG.warn("{}: LLM attempt {} failed ({}); retrying in {} ms", endpoint.name(), attempt, what, delay);
    observer.retrying(endpoint, attempt, delay, retryAfterMs, what);
    return vertx.timer(Math.max(1, delay)).compose(fired -> attempt(body, attempt + 1));
  }

  /**
   * A {@code Retry-After} speaks for the endpoint, not for one call: the calls that take a slot during the wait are
   * held back too, instead of each earning its own refusal and spending an attempt on it.
   */
  private void pauseIfAsked(AsyncResult<Answer> exchanged) {
    // Set while this attempt still holds its slot, so the call that takes the slot next already sees it.
    if (exchanged.succeeded() && RETRYABLE.contains(exchanged.result().status())) {
      long millis = exchanged.result().retryAfterMs();
      if (millis > 0 && millis <= endpoint.maxRetryDelayMs()) {
        synchronized (this) {
          pausedUntilNanos = Math.max(pausedUntilNanos, System.nanoTime() + millis * 1_000_000);
        }
      }
    }
  }

  private synchronized long pauseLeftMs() {
    long left = pausedUntilNanos - System.nanoTime();
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  /** Completes once the endpoint is not paused; a pause extended meanwhile is waited for too. */
  private Future<Void> afterPause() {
    long left = pauseLeftMs();
    if (left == 0) {
      return Future.succeededFuture();
    }
    observer.heldBack(endpoint, left);
    return vertx.timer(left).compose(fired -> afterPause());
  }

  /** Doubling per attempt, capped, with "equal jitter" so that clients failed together do not retry together. */
  private long backoff(int attempt) {
    long full = Math.min(endpoint.maxRetryDelayMs(), endpoint.retryBackoffMs() << Math.min(30, attempt - 1));
    long half = full / 2;
    return half + (full - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(full - half + 1));
  }

  /** One HTTP exchange, whole answer read, within the deadline. */
  private Future<Answer> exchange(Buffer body) {
    if (closed) {
      return Future.failedFuture(new ChatFailure(ChatFailure.Kind.CLOSED, 0, 0, "the LLM client is closed"));
    }
    Promise<Answer> answer = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long deadline = vertx.setTimer(endpoint.timeoutMs(), fired -> {
      if (answer.tryFail(new TimeoutException("no answer within " + endpoint.timeoutMs() + " ms"))) {
        HttpClientRequest request = sent.get();
        if (request != null) {
          request.reset();
        }
      }
    });
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint.completionsUrl())
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.ACCEPT, "application/json")
      .putHeader(HttpHeaders.USER_AGENT, "PromptLab-" + endpoint.name());
    if (endpoint.apiKey() != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + endpoint.apiKey());
    }
    http.request(options)
      .compose(request -> {
        sent.set(request);
        if (answer.future().isComplete()) {
          request.reset();
          return Future.failedFuture(new TimeoutException("no answer within " + endpoint.timeoutMs() + " ms"));
        }
        return request.send(body);
      })
      .compose(this::read)
      .onComplete(done -> {
        vertx.cancelTimer(deadline);
        if (done.succeeded()) {
          answer.tryComplete(done.result());
        } else {
          answer.tryFail(done.cause());
        }
      });
    return answer.future();
  }

  /** The whole body, refused beyond {@code max_response_bytes} so a runaway answer cannot fill the heap. */
  private Future<Answer> read(HttpClientResponse response) {
    Promise<Answer> read = Promise.promise();
    response.exceptionHandler(read::tryFail);
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > endpoint.maxResponseBytes()) {
      read.tryFail(tooLarge(response.statusCode()));
      response.request().reset();
      return read.future();
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > endpoint.maxResponseBytes()) {
        if (read.tryFail(tooLarge(response.statusCode()))) {
          response.request().reset();
        }
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> read.tryComplete(new Answer(response.statusCode(), body,
      RetryAfter.millis(response.headers(), Instant.now()))));
    return read.future();
  }

  private ChatFailure tooLarge(int status) {
    return new ChatFailure(ChatFailure.Kind.BAD_RESPONSE, status, 0, "the LLM answered HTTP " + status
      + " with a body larger than max_response_bytes (" + endpoint.maxResponseBytes() + ")");
  }

  @Override
  public void close() {
    closed = true;
    limiter.close();
    http.close();
  }

  /** A whole HTTP answer, with the wait it asks for ({@link RetryAfter#NONE} when none). */
  private record Answer(int status, Buffer body, long retryAfterMs) {
  }
}
