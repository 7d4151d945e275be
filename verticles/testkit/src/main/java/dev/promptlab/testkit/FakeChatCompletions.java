package dev.promptlab.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible server: {@code POST /v1/chat/completions} checked the way the real API checks it
 * (bearer key, JSON body with {@code model} and {@code messages}, the word "json" somewhere in the messages when
 * {@code response_format} is {@code json_object}) and answered in the real wire format — a chat completion, the
 * API's error shape, a rate limit with {@code Retry-After} or {@code retry-after-ms}, a malformed body, an answer
 * that trickles in forever, or no answer at all — as scripted. Every request that reaches it is recorded, and the
 * requests it holds open at once are counted ({@link #inFlight()}, {@link #maxInFlight()}). The one fake of that API
 * for every module's tests.
 */
public final class FakeChatCompletions implements AutoCloseable {

  /** One received request. */
  public record Received(HttpMethod method, String path, String authorization, String contentType, JsonObject body) {
  }

  /** How the server answers one valid request. */
  @FunctionalInterface
  public interface Answer {
    void send(HttpServerRequest request, JsonObject body);
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final Vertx vertx = TestVertx.create();
  private final HttpServer server;
  private final String apiKey;
  private final Deque<Answer> scripted = new ArrayDeque<>();
  private static final AtomicLong IDS = new AtomicLong();
  private Answer otherwise = error(500, "server_error", "The server had an error while processing your request.", null);
  private final Deque<Runnable> held = new ArrayDeque<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  /**
   * A server that accepts only {@code Authorization: Bearer <apiKey>}, or, with a null key, any request with or
   * without one (like a local server started without a key).
   */
  public FakeChatCompletions(String apiKey) {
    this.apiKey = apiKey;
    this.server = Await.await(vertx.createHttpServer()
      .requestHandler(request -> request.body().onSuccess(buffer -> handle(request, buffer)))
      .listen(0, "127.0.0.1"));
  }

  /** The {@code base_url} to configure. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The answer to the next valid request (answers queue up in order). */
  public synchronized FakeChatCompletions thenAnswer(Answer answer) {
    scripted.add(answer);
    return this;
  }

  /** The answer once the scripted ones are used up. */
  public synchronized FakeChatCompletions otherwise(Answer answer) {
    otherwise = answer;
    return this;
  }

  /** Requests answered or refused by nobody yet (held, silent, trickling). */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most requests that were open at the same time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Requests parked by {@link #held(Answer)} and not released yet. */
  public synchronized int heldCount() {
    return held.size();
  }

  /** Answers the oldest request parked by {@link #held(Answer)} with its answer. */
  public void releaseOne() {
    Runnable next;
    synchronized (this) {
      next = held.poll();
    }
    if (next == null) {
      throw new IllegalStateException("no request is held");
    }
    vertx.runOnContext(v -> next.run());
  }

  /** Parks the request until {@link #releaseOne()}, then answers it with {@code then}. */
  public Answer held(Answer then) {
    return (request, body) -> {
      synchronized (this) {
        held.add(() -> then.send(request, body));
      }
    };
  }

  private void track(HttpServerRequest request) {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    AtomicBoolean open = new AtomicBoolean(true);
    Runnable ended = () -> {
      if (open.compareAndSet(true, false)) {
        inFlight.decrementAndGet();
      }
    };
    request.response().endHandler(v -> ended.run());
    request.response().closeHandler(v -> ended.run());
  }

  private void handle(HttpServerRequest request, Buffer buffer) {
    track(request);
    JsonObject body = parse(buffer);
    received.add(new Received(request.method(), request.path(), request.getHeader("Authorization"),
      request.getHeader("Content-Type"), body));
    if (request.method() != HttpMethod.POST || !"/v1/chat/completions".equals(request.path())) {
      error(404, "unknown_url", "Invalid URL (" + request.method() + " " + request.path() + ")", null).send(request, body);
      return;
    }
    if (apiKey != null && !("Bearer " + apiKey).equals(request.getHeader("Authorization"))) {
      error(401, "invalid_api_key", "Incorrect API key provided. You can find your API key at"
        + " https://platform.openai.com/account/api-keys.", null).send(request, body);
      return;
    }
    String problem = problemWith(body);
    if (problem != null) {
      error(400, null, problem, null).send(request, body);
      return;
    }
    Answer answer;
    synchronized (this) {
      answer = scripted.isEmpty() ? otherwise : scripted.poll();
    }
    answer.send(request, body);
  }

  private static JsonObject parse(Buffer buffer) {
    try {
      return buffer.length() == 0 ? null : buffer.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The request checks of the real API that matter to a client; null when the request is acceptable. */
  private static String problemWith(JsonObject body) {
    if (body == null) {
      return "We could not parse the JSON body of your request.";
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      return "you must provide a model parameter";
    }
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      return "[] is too short - 'messages'";
    }
    boolean mentionsJson = false;
    for (Object item : messages) {
      if (!(item instanceof JsonObject message) || !(message.getValue("role") instanceof String role)
        || !List.of("system", "user", "assistant", "developer").contains(role)
        || !(message.getValue("content") instanceof String content)) {
        return "Invalid value in 'messages': each message needs a role and a string content.";
      }
      mentionsJson |= content.toLowerCase(Locale.ROOT).contains("json");
    }
    Object format = body.getValue("response_format");
    if (format instanceof JsonObject f && "json_object".equals(f.getValue("type")) && !mentionsJson) {
      return "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";
    }
    return null;
  }

  /**
   * A chat completion whose assistant message is {@code content}, with a usage estimated the way the API's is
   * sized (about four characters a token).
   */
  public static Answer completion(String content) {
    return (request, body) -> sendCompletion(request, body, message(content), "stop",
      usage(body.getJsonArray("messages").encode().length() / 4, 0, Math.max(1, content.length() / 4)));
  }

  /**
   * A chat completion with exactly this usage: {@code cachedTokens} of the {@code promptTokens} served from the
   * provider's prompt cache ({@code prompt_tokens_details.cached_tokens}).
   */
  public static Answer completion(String content, int promptTokens, int cachedTokens, int completionTokens,
                                  String finishReason) {
    return (request, body) -> sendCompletion(request, body, message(content), finishReason,
      usage(promptTokens, cachedTokens, completionTokens));
  }

  /** A chat completion without {@code usage}, as some local servers answer. */
  public static Answer completionWithoutUsage(String content) {
    return (request, body) -> sendCompletion(request, body, message(content), "stop", null);
  }

  /** A completion whose message has no content but a refusal, as the API answers what the model declines. */
  public static Answer refusal(String text) {
    return (request, body) -> sendCompletion(request, body, new JsonObject().put("role", "assistant")
      .putNull("content").put("refusal", text).put("annotations", new JsonArray()), "stop", usage(10, 0, 5));
  }

  private static JsonObject message(String content) {
    return new JsonObject().put("role", "assistant").put("content", content).putNull("refusal")
      .put("annotations", new JsonArray());
  }

  private static JsonObject usage(int promptTokens, int cachedTokens, int completionTokens) {
    return new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
      .put("total_tokens", promptTokens + completionTokens)
      .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cachedTokens).put("audio_tokens", 0))
      .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0).put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0));
  }

  private static void sendCompletion(HttpServerRequest request, JsonObject body, JsonObject message,
                                     String finishReason, JsonObject usage) {
    JsonObject completion = new JsonObject()
      .put("id", "chatcmpl-fake" + IDS.incrementAndGet())
      .put("object", "chat.completion")
      .put("created", System.currentTimeMillis() / 1000)
      .put("model", body.getString("model"))
      .put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0)
        .put("message", message)
        .putNull("logprobs")
        .put("finish_reason", finishReason)));
    if (usage != null) {
      completion.put("usage", usage);
    }
    request.response().setStatusCode(200).putHeader("Content-Type", "application/json")
      .putHeader("x-request-id", "req_" + IDS.incrementAndGet())
      .end(completion.put("service_tier", "default").put("system_fingerprint", "fp_fake").encode());
  }

  /** Any status, content type and body, for the malformed answers a proxy or a misconfigured URL gives. */
  public static Answer raw(int status, String contentType, String text) {
    return (request, body) -> request.response().setStatusCode(status).putHeader("Content-Type", contentType)
      .end(text);
  }

  /**
   * A 200 whose JSON never ends: the headers at once, then a space every {@code pauseMs} for as long as the
   * connection stays open (each byte keeps an idle timeout from firing; only a deadline ends it).
   */
  public Answer trickle(long pauseMs) {
    return (request, body) -> {
      request.response().setStatusCode(200).putHeader("Content-Type", "application/json").setChunked(true)
        .write("{\"id\": \"chatcmpl-slow\", ");
      vertx.setPeriodic(pauseMs, id -> {
        if (request.response().closed() || request.response().ended()) {
          vertx.cancelTimer(id);
        } else {
          request.response().write(" ");
        }
      });
    };
  }

  /** The API's rate-limit answer with OpenAI's {@code retry-after-ms} header (and no {@code Retry-After}). */
  public static Answer rateLimitedMillis(long millis) {
    return (request, body) -> {
      request.response().putHeader("retry-after-ms", Long.toString(millis));
      error(429, "rate_limit_exceeded", "Rate limit reached for requests. Please try again later.", null)
        .send(request, body);
    };
  }

  /** The API's rate-limit answer. */
  public static Answer rateLimited(String retryAfterSeconds) {
    return error(429, "rate_limit_exceeded", "Rate limit reached for requests. Please try again later.",
      retryAfterSeconds);
  }

  /** Takes the request and never answers, like an overloaded upstream. */
  public static Answer silence() {
    return (request, body) -> {
    };
  }

  /** The API's error shape: {@code {"error": {"message", "type", "param", "code"}}}. */
  public static Answer error(int status, String code, String message, String retryAfterSeconds) {
    return (request, body) -> {
      if (retryAfterSeconds != null) {
        request.response().putHeader("Retry-After", retryAfterSeconds);
      }
      String type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
          .putNull("param").put("code", code)).encode());
    };
  }

  @Override
  public void close() {
    Await.await(vertx.close());
  }
}
