package dev.promptlab.textopt.cache;

import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.completionWithoutUsage;
import static dev.promptlab.testkit.FakeChatCompletions.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.llm.CachingChatClient;
import dev.promptlab.llm.ChatClient;
import dev.promptlab.llm.ChatEndpoint;
import dev.promptlab.llm.ChatFailure;
import dev.promptlab.llm.ChatRequest;
import dev.promptlab.llm.ChatResponse;
import dev.promptlab.llm.OpenAiChatClient;
import dev.promptlab.llm.ResponseCache;
import dev.promptlab.llm.Usage;
import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The response cache on the real database, in front of a client of the fake chat server. */
@ExtendWith(BlockedThreadGuard.class)
class PgResponseCacheTest {

  private static final String KEY = "sk-test-0123456789abcdef";

  private Vertx vertx;
  private Pool pool;
  private FakeChatCompletions server;
  private PgResponseCache cache;

  @BeforeEach
  void start() {
    TestDatabase.reset();
    vertx = TestVertx.create();
    pool = pool();
    cache = new PgResponseCache(pool);
    server = new FakeChatCompletions(KEY);
  }

  @AfterEach
  void stop() {
    server.close();
    Await.await(vertx.close());
  }

  private Pool pool() {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
      .connectingTo(new PgConnectOptions(TestDatabase.pgOptions())).using(vertx).build();
  }

  private ChatClient client(ResponseCache responses) {
    ChatEndpoint endpoint = ChatEndpoint.withKey("task", new JsonObject().put("base_url", server.baseUrl())
      .put("model", "test-model").put("max_attempts", 1).put("prices", new JsonObject()
        .put("input_per_million_usd", 0.15).put("output_per_million_usd", 0.6)), KEY);
    return new CachingChatClient(new OpenAiChatClient(vertx, endpoint), responses);
  }

  private ChatClient client() {
    return client(cache);
  }

  private static ChatRequest row(String input) {
    return ChatRequest.of("Extract the city. Answer with the city only.", input).withTemperature(0);
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCacheAndCostsNothing() {
    server.otherwise(completion("Lyon", 1000, 0, 500, "stop"));
    ChatClient client = client();

    ChatResponse fresh = Await.await(client.chat(row("I live in Lyon.")));
    ChatResponse again = Await.await(client.chat(row("I live in Lyon.")));

    assertEquals(1, server.received.size(), "the second call never reached the model");
    assertFalse(fresh.cached());
    assertEquals(1, fresh.attempts());
    assertTrue(again.cached());
    assertEquals(0, again.attempts());
    assertEquals("Lyon", again.content());
    assertEquals("stop", again.finishReason());
    assertEquals("test-model", again.model());
    assertEquals(new Usage(1000, 500, 0, true), again.usage());
    // 1000 prompt tokens at 0.15 $/M and 500 answer tokens at 0.60 $/M.
    BigDecimal cost = new BigDecimal("0.00045");
    assertEquals(0, cost.compareTo(fresh.spentUsd()));
    assertEquals(0, BigDecimal.ZERO.compareTo(again.spentUsd()));
    assertEquals(0, cost.compareTo(again.savedUsd()));

    CacheSavings savings = Await.await(cache.savings());
    assertEquals(1, savings.entries());
    assertEquals(1, savings.hits());
    assertEquals(1500, savings.tokensSaved());
    assertEquals(0, cost.compareTo(savings.costSavedUsd()), savings.costSavedUsd().toPlainString());
    client.close();
  }

  @Test
  void aReRunWithANewClientIsAnsweredFromTheCache() {
    server.otherwise(completion("Lyon", 10, 0, 1, "stop"));
    ChatClient first = client();
    Await.await(first.chat(row("I live in Lyon.")));
    Await.await(first.chat(row("I moved to Paris.")));
    first.close();

    ChatClient rerun = client();
    assertTrue(Await.await(rerun.chat(row("I live in Lyon."))).cached());
    assertTrue(Await.await(rerun.chat(row("I moved to Paris."))).cached());
    assertEquals(2, server.received.size());
    assertEquals(2, TestDatabase.count("SELECT sum(hits) FROM textopt_llm_cache"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM textopt_llm_cache WHERE last_hit_at IS NOT NULL"));
    rerun.close();
  }

  @Test
  void anotherInputPromptOrModelIsAMiss() {
    server.otherwise(completion("Lyon"));
    ChatClient client = client();
    Await.await(client.chat(row("I live in Lyon.")));
    assertFalse(Await.await(client.chat(row("I live in Lyon!"))).cached());
    assertFalse(Await.await(client.chat(ChatRequest.of("Extract the town.", "I live in Lyon.").withTemperature(0)))
      .cached());
    assertFalse(Await.await(client.chat(row("I live in Lyon.").withTemperature(1))).cached());
    assertEquals(4, server.received.size());
    assertEquals(4, TestDatabase.count("SELECT count(*) FROM textopt_llm_cache"));
    assertEquals(1, TestDatabase.count("SELECT count(DISTINCT model) FROM textopt_llm_cache"));
    client.close();
  }

  @Test
  void identicalRequestsInFlightTogetherMakeOneCall() {
    server.otherwise(server.held(completion("Lyon")));
    ChatClient client = client();
    Future<ChatResponse> first = client.chat(row("I live in Lyon."));
    Future<ChatResponse> second = client.chat(row("I live in Lyon."));
    Eventually.until("the model holds the request", () -> server.heldCount() == 1);
    server.releaseOne();
    assertFalse(Await.await(first).cached());
    assertTrue(Await.await(second).cached(), "the second caller paid nothing");
    assertEquals(1, server.received.size());
    client.close();
  }

  @Test
  void aFailureIsNeverStored() {
    server.thenAnswer(error(400, null, "Invalid 'messages'", null)).otherwise(completion("Lyon"));
    ChatClient client = client();
    ChatFailure failure = assertThrows(ChatFailure.class, () -> Await.await(client.chat(row("I live in Lyon."))));
    assertEquals(ChatFailure.Kind.REJECTED, failure.kind());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM textopt_llm_cache"));
    assertFalse(Await.await(client.chat(row("I live in Lyon."))).cached());
    assertEquals(2, server.received.size());
    client.close();
  }

  @Test
  void anAnswerWithoutUsageIsStoredAsSuch() {
    server.otherwise(completionWithoutUsage("Lyon"));
    ChatClient client = client();
    Await.await(client.chat(row("I live in Lyon.")));
    ChatResponse again = Await.await(client.chat(row("I live in Lyon.")));
    assertEquals(Usage.NOT_REPORTED, again.usage());
    assertEquals(0, BigDecimal.ZERO.compareTo(again.savedUsd()));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM textopt_llm_cache WHERE NOT usage_reported"));
    client.close();
  }

  @Test
  void anUnreachableCacheCostsTheSavingNeverTheAnswer() {
    server.otherwise(completion("Lyon"));
    Pool closed = pool();
    Await.await(closed.close());
    ChatClient client = client(new PgResponseCache(closed));
    ChatResponse answer = Await.await(client.chat(row("I live in Lyon.")));
    assertEquals("Lyon", answer.content());
    assertFalse(answer.cached());
    assertFalse(Await.await(client.chat(row("I live in Lyon."))).cached());
    assertEquals(2, server.received.size());
    client.close();
  }
}
