package dev.promptlab.llm;

import static dev.promptlab.llm.ChatClientHarness.KEY;
import static dev.promptlab.llm.ChatClientHarness.failure;
import static dev.promptlab.llm.ChatClientHarness.question;
import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.completionWithoutUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeChatCompletions.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the client sends and how it reads a successful answer, against a server speaking the real wire format. */
@ExtendWith(BlockedThreadGuard.class)
class OpenAiChatClientTest {

  private ChatClientHarness harness = new ChatClientHarness(KEY);

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void sendsTheRequestInTheWireFormatAndReadsTheAnswer() {
    harness.server.otherwise(completion("{\"city\": \"Lyon\"}", 1200, 200, 350, "stop"));
    JsonObject schema = new JsonObject().put("type", "object")
      .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
      .put("required", new JsonArray().add("city")).put("additionalProperties", false);
    ChatRequest request = question().withTemperature(0.2).withMaxTokens(64).withSeed(7)
      .withResponseFormat(ResponseFormat.jsonSchema("city", schema, true));

    ChatResponse answer = Await.await(harness.client(new JsonObject()).chat(request));

    assertEquals("{\"city\": \"Lyon\"}", answer.content());
    assertEquals("stop", answer.finishReason());
    assertEquals("test-model", answer.model());
    assertEquals(new Usage(1200, 350, 200, true), answer.usage());
    assertEquals(1550, answer.usage().totalTokens());
    assertEquals(1, answer.attempts());
    assertFalse(answer.cached());
    assertFalse(answer.truncated());
    assertEquals(0, BigDecimal.ZERO.compareTo(answer.costUsd()), "no prices configured: a free model");
    assertEquals(List.of(answer), harness.answers);

    Received sent = harness.server.received.get(0);
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals("Bearer " + KEY, sent.authorization());
    assertEquals("application/json", sent.contentType());
    JsonObject body = sent.body();
    assertEquals("test-model", body.getString("model"));
    assertEquals(new JsonArray()
      .add(new JsonObject().put("role", "system").put("content", "You extract the city."))
      .add(new JsonObject().put("role", "user").put("content", "I live in Lyon.")), body.getJsonArray("messages"));
    assertEquals(0.2, body.getDouble("temperature"));
    assertEquals(64, body.getInteger("max_tokens"));
    assertEquals(7, body.getLong("seed"));
    assertEquals(new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject().put("name", "city")
      .put("schema", schema).put("strict", true)), body.getJsonObject("response_format"));
  }

  @Test
  void leavesUnsetParametersToTheServer() {
    harness.server.otherwise(completion("Lyon"));
    Await.await(harness.client(new JsonObject()).chat(question()));
    JsonObject body = harness.server.received.get(0).body();
    assertEquals(List.of("model", "messages"), List.copyOf(body.fieldNames()));
  }

  @Test
  void jsonModeIsAskedAsAJsonObjectResponseFormat() {
    harness.server.otherwise(completion("{}"));
    Await.await(harness.client(new JsonObject()).chat(ChatRequest.of("Answer in JSON.", "Where?")
      .withResponseFormat(ResponseFormat.jsonObject())));
    assertEquals(new JsonObject().put("type", "json_object"),
      harness.server.received.get(0).body().getJsonObject("response_format"));
  }

  @Test
  void theTokenLimitGoesUnderTheConfiguredParameter() {
    harness.server.otherwise(completion("Lyon"));
    Await.await(harness.client(new JsonObject().put("max_tokens_parameter", "max_completion_tokens"))
      .chat(question().withMaxTokens(32)));
    JsonObject body = harness.server.received.get(0).body();
    assertEquals(32, body.getInteger("max_completion_tokens"));
    assertFalse(body.containsKey("max_tokens"));
  }

  @Test
  void costIsTheReportedTokensAtTheConfiguredPrices() {
    harness.server.otherwise(completion("Lyon", 1200, 200, 350, "stop"));
    OpenAiChatClient client = harness.client(new JsonObject().put("prices", new JsonObject()
      .put("input_per_million_usd", 0.15).put("cached_input_per_million_usd", 0.075)
      .put("output_per_million_usd", 0.6)));

    ChatResponse answer = Await.await(client.chat(question()));

    // 1000 uncached prompt tokens at 0.15 $/M, 200 cached at 0.075 $/M, 350 answer tokens at 0.60 $/M.
    assertEquals(0, new BigDecimal("0.000375").compareTo(answer.costUsd()), answer.costUsd().toPlainString());
    assertEquals(0, answer.costUsd().compareTo(answer.spentUsd()));
    assertEquals(0, BigDecimal.ZERO.compareTo(answer.savedUsd()));
  }

  @Test
  void cachedPromptTokensCostTheInputPriceUnlessPricedApart() {
    harness.server.otherwise(completion("Lyon", 1_000_000, 500_000, 0, "stop"));
    ChatResponse answer = Await.await(harness.client(new JsonObject().put("prices", new JsonObject()
      .put("input_per_million_usd", 2.5))).chat(question()));
    assertEquals(0, new BigDecimal("2.5").compareTo(answer.costUsd()), answer.costUsd().toPlainString());
  }

  @Test
  void anAnswerWithoutUsageCostsNothingAndSaysSo() {
    harness.server.otherwise(completionWithoutUsage("Lyon"));
    ChatResponse answer = Await.await(harness.client(new JsonObject().put("prices", new JsonObject()
      .put("input_per_million_usd", 1).put("output_per_million_usd", 1))).chat(question()));
    assertEquals("Lyon", answer.content());
    assertEquals(Usage.NOT_REPORTED, answer.usage());
    assertFalse(answer.usage().reported());
    assertEquals(0, BigDecimal.ZERO.compareTo(answer.costUsd()));
  }

  @Test
  void anAnswerCutAtTheTokenLimitIsAnAnswerMarkedTruncated() {
    harness.server.otherwise(completion("{\"city\": \"Ly", 20, 0, 4, "length"));
    ChatResponse answer = Await.await(harness.client(new JsonObject()).chat(question().withMaxTokens(4)));
    assertTrue(answer.truncated());
    assertEquals("{\"city\": \"Ly", answer.content());
  }

  @Test
  void aLocalServerWithoutAKeyGetsNoAuthorizationHeader() {
    harness.close();
    harness = new ChatClientHarness(null);
    harness.server.otherwise(completion("Lyon"));
    ChatEndpoint endpoint = ChatEndpoint.fromConfig("task", harness.config(new JsonObject()), variable -> null);
    assertEquals("Lyon", Await.await(harness.client(endpoint).chat(question())).content());
    assertNull(harness.server.received.get(0).authorization());
  }

  @Test
  void theKeyComesFromTheNamedEnvironmentVariable() {
    harness.server.otherwise(completion("Lyon"));
    ChatEndpoint endpoint = ChatEndpoint.fromConfig("task", harness.config(new JsonObject().put("key_env", "TASK_KEY")),
      variable -> variable.equals("TASK_KEY") ? KEY : null);
    Await.await(harness.client(endpoint).chat(question()));
    assertEquals("Bearer " + KEY, harness.server.received.get(0).authorization());
  }
}
