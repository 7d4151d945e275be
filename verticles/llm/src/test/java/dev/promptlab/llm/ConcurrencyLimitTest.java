package dev.promptlab.llm;

import static dev.promptlab.llm.ChatClientHarness.KEY;
import static dev.promptlab.llm.ChatClientHarness.failure;
import static dev.promptlab.llm.ChatClientHarness.question;
import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.error;
import static dev.promptlab.testkit.FakeChatCompletions.rateLimitedMillis;
import static dev.promptlab.testkit.FakeChatCompletions.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** At most {@code max_concurrent} requests reach the server; the others wait their turn in order, or are refused. */
@ExtendWith(BlockedThreadGuard.class)
class ConcurrencyLimitTest {

  private final ChatClientHarness harness = new ChatClientHarness(KEY);

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void noMoreThanTheLimitAreInFlightAndTheRestFollowAsSlotsFree() {
    harness.server.otherwise(harness.server.held(completion("Lyon")));
    OpenAiChatClient client = harness.client(new JsonObject().put("max_concurrent", 2));
    List<Future<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(client.chat(ChatRequest.of("system", "question " + i)));
    }
    Eventually.until("two requests are held by the server", () -> harness.server.heldCount() == 2);
    assertEquals(3, client.waiting());
    assertEquals(2, client.inFlight());

    for (int released = 1; released <= 3; released++) {
      harness.server.releaseOne();
      int received = 2 + released;
      Eventually.until("request " + received + " reached the server", () -> harness.server.received.size() == received);
      Eventually.until("the server holds two again", () -> harness.server.heldCount() == 2);
    }
    harness.server.releaseOne();
    harness.server.releaseOne();
    calls.forEach(call -> assertEquals("Lyon", Await.await(call).content()));

    assertEquals(2, harness.server.maxInFlight(), "never more than max_concurrent requests at the server");
    assertEquals(5, harness.server.received.size());
    List<String> order = harness.server.received.stream()
      .map(r -> r.body().getJsonArray("messages").getJsonObject(1).getString("content")).toList();
    assertEquals(List.of("question 2", "question 3", "question 4"), order.subList(2, 5), "waiting calls go in order");
    assertEquals(0, client.inFlight());
    assertEquals(0, client.waiting());
  }

  @Test
  void aCallBeyondTheQueueIsRefusedAtOnce() {
    harness.server.otherwise(harness.server.held(completion("Lyon")));
    OpenAiChatClient client = harness.client(new JsonObject().put("max_concurrent", 1).put("max_queued", 1));
    Future<ChatResponse> first = client.chat(question());
    Future<ChatResponse> second = client.chat(question());

    ChatFailure refused = failure(client.chat(question()));

    assertEquals(ChatFailure.Kind.OVERLOADED, refused.kind());
    assertTrue(refused.transientFailure());
    assertTrue(refused.getMessage().contains("1 calls in flight and 1 waiting"), refused.getMessage());
    Eventually.until("the first request is held", () -> harness.server.heldCount() == 1);
    harness.server.releaseOne();
    Eventually.until("the second request is held", () -> harness.server.heldCount() == 1);
    harness.server.releaseOne();
    assertEquals("Lyon", Await.await(first).content());
    assertEquals("Lyon", Await.await(second).content());
    assertEquals(2, harness.server.received.size());
  }

  @Test
  void aSlotIsNotHeldWhileACallWaitsToRetry() {
    harness.server.thenAnswer(error(500, "server_error", "boom", null))
      .otherwise(harness.server.held(completion("Lyon")));
    OpenAiChatClient client = harness.client(new JsonObject().put("max_concurrent", 1).put("retry_backoff_ms", 2000));
    Future<ChatResponse> failing = client.chat(ChatRequest.of("system", "failing"));
    Eventually.until("the first call waits for its retry", () -> harness.retries.size() == 1);
    Future<ChatResponse> other = client.chat(ChatRequest.of("system", "other"));
    Eventually.until("the other call reached the server during the wait", () -> harness.server.heldCount() == 1);
    assertEquals("other", harness.server.received.get(1).body().getJsonArray("messages").getJsonObject(1)
      .getString("content"));
    harness.server.releaseOne();
    Eventually.until("the retry is held", () -> harness.server.heldCount() == 1);
    harness.server.releaseOne();
    assertEquals(2, Await.await(failing).attempts());
    assertEquals(1, Await.await(other).attempts());
    assertEquals(List.of(), harness.heldBack, "a back-off is the call's own: nobody else waits for it");
  }

  @Test
  void aServersRetryAfterHoldsBackTheEndpointsOtherCalls() {
    harness.server.thenAnswer(rateLimitedMillis(400)).otherwise(completion("Lyon"));
    OpenAiChatClient client = harness.client(new JsonObject().put("max_concurrent", 1));
    Future<ChatResponse> limited = client.chat(ChatRequest.of("system", "limited"));
    Future<ChatResponse> next = client.chat(ChatRequest.of("system", "next"));

    assertEquals(2, Await.await(limited).attempts());
    assertEquals(1, Await.await(next).attempts());
    assertEquals(3, harness.server.received.size());
    assertEquals(1, harness.heldBack.size(), "the next call waited for the server's pause: " + harness.heldBack);
    long waited = harness.heldBack.get(0);
    assertTrue(waited > 0 && waited <= 400, "held back for what was left of the 400 ms: " + waited);
    assertEquals(List.of(400L), harness.retries.stream().map(ChatClientHarness.Retry::delayMs).toList());
  }

  @Test
  void closingFailsTheCallsInFlightAndWaitingAndRefusesNewOnes() {
    harness.server.otherwise(silence());
    OpenAiChatClient client = harness.client(new JsonObject().put("max_concurrent", 1).put("timeout_ms", 60_000));
    Future<ChatResponse> inFlight = client.chat(question());
    Future<ChatResponse> waiting = client.chat(question());
    Eventually.until("the first request reached the server", () -> harness.server.received.size() == 1);

    client.close();

    assertEquals(ChatFailure.Kind.CLOSED, failure(inFlight).kind());
    assertEquals(ChatFailure.Kind.CLOSED, failure(waiting).kind());
    assertEquals(ChatFailure.Kind.CLOSED, failure(client.chat(question())).kind());
    assertFalse(failure(client.chat(question())).transientFailure());
    assertEquals(1, harness.server.received.size());
  }
}
