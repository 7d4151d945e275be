package dev.promptlab.evolution;

import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A local stand-in for an OpenAI-compatible server: {@code POST /v1/chat/completions} answered in the real
 * chat-completions wire format (or with the real error shape, or not at all), every request recorded.
 */
public final class FakeChatCompletions implements AutoCloseable {

  /** One received request: its path, Authorization header and JSON body. */
  public record Received(String path, String authorization, JsonObject body) {
  }

  private final Vertx vertx = TestVertx.create();
  private final HttpServer server;
  private final Deque<BiConsumer<HttpServerRequest, JsonObject>> next = new ArrayDeque<>();
  private BiConsumer<HttpServerRequest, JsonObject> otherwise;
  public final List<Received> received = new CopyOnWriteArrayList<>();

  public FakeChatCompletions() {
    otherwise = (request, body) -> error(request, 500, "no answer scripted");
    server = Await.await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
      JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
      received.add(new Received(request.path(), request.getHeader("Authorization"), body));
      BiConsumer<HttpServerRequest, JsonObject> behaviour;
      synchronized (this) {
        behaviour = next.isEmpty() ? otherwise : next.poll();
      }
      behaviour.accept(request, body);
    })).listen(0, "127.0.0.1"));
  }

  /** The base URL to configure ({@code http://127.0.0.1:port/v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public synchronized FakeChatCompletions thenAnswer(BiConsumer<HttpServerRequest, JsonObject> behaviour) {
    next.add(behaviour);
    return this;
  }

  public synchronized FakeChatCompletions otherwise(BiConsumer<HttpServerRequest, JsonObject> behaviour) {
    otherwise = behaviour;
    return this;
  }

  /** A successful completion whose message content is {@code content}. */
  public static BiConsumer<HttpServerRequest, JsonObject> completion(String content) {
    return (request, body) -> request.response().setStatusCode(200).putHeader("Content-Type", "application/json")
      .end(new JsonObject()
        .put("id", "chatcmpl-test" + System.nanoTime())
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", body.getString("model") + "-2024-07-18")
        .put("choices", new JsonArray().add(new JsonObject()
          .put("index", 0)
          .put("message", new JsonObject().put("role", "assistant").put("content", content).putNull("refusal"))
          .putNull("logprobs")
          .put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 812).put("completion_tokens", 164).put("total_tokens", 976))
        .put("system_fingerprint", "fp_test")
        .encode());
  }

  /** The error shape of the API. */
  public static BiConsumer<HttpServerRequest, JsonObject> failure(int status, String message, String retryAfter) {
    return (request, body) -> {
      if (retryAfter != null) {
        request.response().putHeader("Retry-After", retryAfter);
      }
      error(request, status, message);
    };
  }

  /** Accepts the request and never answers. */
  public static BiConsumer<HttpServerRequest, JsonObject> silence() {
    return (request, body) -> {
    };
  }

  private static void error(HttpServerRequest request, int status, String message) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("error", new JsonObject().put("message", message).put("type", "requests")
        .putNull("param").put("code", status == 429 ? "rate_limit_exceeded" : "error")).encode());
  }

  @Override
  public void close() {
    Await.await(vertx.close());
  }
}
