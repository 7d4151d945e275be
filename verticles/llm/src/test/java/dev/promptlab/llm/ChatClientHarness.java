package dev.promptlab.llm;

import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client of the fake chat server, recording what its observer hears. */
final class ChatClientHarness implements AutoCloseable {

  static final String KEY = "sk-test-0123456789abcdef";

  /** One retry the client scheduled. */
  record Retry(int failedAttempt, long delayMs, long retryAfterMs, String reason) {
  }

  final Vertx vertx = TestVertx.create();
  final FakeChatCompletions server;
  final List<Retry> retries = new CopyOnWriteArrayList<>();
  final List<ChatResponse> answers = new CopyOnWriteArrayList<>();
  final List<ChatFailure> failures = new CopyOnWriteArrayList<>();
  final List<Long> heldBack = new CopyOnWriteArrayList<>();
  private final List<OpenAiChatClient> clients = new CopyOnWriteArrayList<>();

  ChatClientHarness(String serverKey) {
    server = new FakeChatCompletions(serverKey);
  }

  /** The endpoint's configuration: the fake's URL, a test model, fast retries; {@code extra} overrides. */
  JsonObject config(JsonObject extra) {
    return new JsonObject().put("base_url", server.baseUrl()).put("model", "test-model").put("timeout_ms", 5000)
      .put("max_attempts", 3).put("retry_backoff_ms", 1).mergeIn(extra);
  }

  OpenAiChatClient client(JsonObject extra) {
    return client(ChatEndpoint.withKey("task", config(extra), KEY));
  }

  OpenAiChatClient client(ChatEndpoint endpoint) {
    OpenAiChatClient client = new OpenAiChatClient(vertx, endpoint, new ChatObserver() {
      @Override
      public void retrying(ChatEndpoint e, int failedAttempt, long delayMs, long retryAfterMs, String reason) {
        retries.add(new Retry(failedAttempt, delayMs, retryAfterMs, reason));
      }

      @Override
      public void heldBack(ChatEndpoint e, long delayMs) {
        heldBack.add(delayMs);
      }

      @Override
      public void answered(ChatEndpoint e, ChatResponse response) {
        answers.add(response);
      }

      @Override
      public void failed(ChatEndpoint e, ChatFailure failure) {
        failures.add(failure);
      }
    });
    clients.add(client);
    return client;
  }

  static ChatRequest question() {
    return ChatRequest.of("You extract the city.", "I live in Lyon.");
  }

  /** The failure of a call that must fail. */
  static ChatFailure failure(Future<ChatResponse> call) {
    try {
      ChatResponse answer = Await.await(call);
      throw new AssertionError("expected a failure, got " + answer);
    } catch (ChatFailure failure) {
      return failure;
    }
  }

  @Override
  public void close() {
    clients.forEach(OpenAiChatClient::close);
    server.close();
    Await.await(vertx.close());
  }
}
