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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible server: {@code POST /v1/chat/completions} checked the way the real API checks it
 * (bearer key, JSON body with {@code model} and {@code messages}, the word "json" somewhere in the messages when
 * {@code response_format} is {@code json_object}) and answered in the real wire format — a chat completion, the
 * API's error shape, or no answer at all — as scripted. Every request that reaches it is recorded. The one fake
 * of that API for every module's tests.
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

  /** A server that accepts only {@code Authorization: Bearer <apiKey>}. */
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

  private void handle(HttpServerRequest request, Buffer buffer) {
    JsonObject body = parse(buffer);
    received.add(new Received(request.method(), request.path(), request.getHeader("Authorization"),
      request.getHeader("Content-Type"), body));
    if (request.method() != HttpMethod.POST || !"/v1/chat/completions".equals(request.path())) {
      error(404, "unknown_url", "Invalid URL (" + request.method() + " " + request.path() + ")", null).send(request, body);
      return;
    }
    if (!("Bearer " + apiKey).equals(request.getHeader("Authorization"))) {
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

  /** A chat completion whose assistant message is {@code content}. */
  public static Answer completion(String content) {
    return (request, body) -> {
      int promptTokens = body.getJsonArray("messages").encode().length() / 4;
      int completionTokens = Math.max(1, content.length() / 4);
      request.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .putHeader("x-request-id", "req_" + IDS.incrementAndGet())
        .end(new JsonObject()
          .put("id", "chatcmpl-fake" + IDS.incrementAndGet())
          .put("object", "chat.completion")
          .put("created", System.currentTimeMillis() / 1000)
          .put("model", body.getString("model"))
          .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", content).putNull("refusal")
              .put("annotations", new JsonArray()))
            .putNull("logprobs")
            .put("finish_reason", "stop")))
          .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens))
          .put("service_tier", "default")
          .put("system_fingerprint", "fp_fake")
          .encode());
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
