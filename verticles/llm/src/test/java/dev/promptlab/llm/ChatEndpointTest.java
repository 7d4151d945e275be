package dev.promptlab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatEndpointTest {

  private static JsonObject minimal() {
    return new JsonObject().put("base_url", "https://api.openai.com/v1/").put("model", "gpt-4o-mini");
  }

  private static String refusal(JsonObject config) {
    return assertThrows(IllegalArgumentException.class,
      () -> ChatEndpoint.fromConfig("task", config, Map.of("OPENAI_API_KEY", "sk-abcdefgh")::get)).getMessage();
  }

  @Test
  void defaultsForAnythingNotConfigured() {
    ChatEndpoint endpoint = ChatEndpoint.fromConfig("task", minimal(), variable -> null);
    assertEquals("https://api.openai.com/v1", endpoint.baseUrl());
    assertEquals("https://api.openai.com/v1/chat/completions", endpoint.completionsUrl());
    assertNull(endpoint.apiKey());
    assertEquals(60_000, endpoint.timeoutMs());
    assertEquals(10_000, endpoint.connectTimeoutMs());
    assertEquals(4, endpoint.maxConcurrent());
    assertEquals(1000, endpoint.maxQueued());
    assertEquals(4, endpoint.maxAttempts());
    assertEquals(500, endpoint.retryBackoffMs());
    assertEquals(60_000, endpoint.maxRetryDelayMs());
    assertEquals("max_tokens", endpoint.maxTokensParameter());
    assertEquals(8 << 20, endpoint.maxResponseBytes());
    assertEquals(TokenPrices.FREE, endpoint.prices());
  }

  @Test
  void theKeyIsReadFromTheNamedVariableAndNeverShown() {
    ChatEndpoint endpoint = ChatEndpoint.fromConfig("task", minimal().put("key_env", "OPENAI_API_KEY"),
      Map.of("OPENAI_API_KEY", "sk-abcdefgh12345678")::get);
    assertEquals("sk-abcdefgh12345678", endpoint.apiKey());
    assertFalse(endpoint.toString().contains("sk-abcdefgh12345678"), endpoint.toString());
    assertTrue(endpoint.toString().contains("key=set"), endpoint.toString());
  }

  @Test
  void aNamedVariableThatIsNotSetStopsTheStart() {
    assertEquals("task.key_env names GEMINI_API_KEY, which is not set",
      refusal(minimal().put("key_env", "GEMINI_API_KEY")));
    assertEquals("task.key_env names EMPTY, which is not set", assertThrows(IllegalArgumentException.class,
      () -> ChatEndpoint.fromConfig("task", minimal().put("key_env", "EMPTY"), Map.of("EMPTY", " ")::get))
      .getMessage());
  }

  @Test
  void aKeyInTheConfigurationIsRefused() {
    assertEquals("task.api_key: keys come from the environment only (key_env)",
      refusal(minimal().put("api_key", "sk-abcdefgh")));
  }

  @Test
  void aKeyThatCannotBeAHeaderIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ChatEndpoint.withKey("task", minimal(), "sk-abc\r\nX-Evil: 1"));
    assertThrows(IllegalArgumentException.class, () -> ChatEndpoint.withKey("task", minimal(), "sk abc"));
  }

  @Test
  void badValuesAreNamed() {
    assertEquals("task.base_url is required", refusal(new JsonObject().put("model", "m")));
    assertEquals("task.model is required", refusal(new JsonObject().put("base_url", "http://localhost:11434/v1")));
    assertEquals("task.base_url must be an http(s) URL, got localhost:8080",
      refusal(minimal().put("base_url", "localhost:8080")));
    assertEquals("task.model must be a non-empty string, got 3", refusal(minimal().put("model", 3)));
    assertEquals("task.max_concurrent must be an integer in [1, 1024], got 0", refusal(minimal().put("max_concurrent", 0)));
    assertEquals("task.timeout_ms must be an integer in [100, 3600000], got 1.5", refusal(minimal().put("timeout_ms", 1.5)));
    assertEquals("task.max_attempts must be an integer in [1, 20], got three",
      refusal(minimal().put("max_attempts", "three")));
    assertEquals("task.max_tokens_parameter must be max_tokens or max_completion_tokens, got max_output_tokens",
      refusal(minimal().put("max_tokens_parameter", "max_output_tokens")));
    assertEquals("task.prices must be an object", refusal(minimal().put("prices", 0.15)));
    assertEquals("task.prices.output_per_million_usd must be a number of dollars, 0 or more, got -1",
      refusal(minimal().put("prices", new JsonObject().put("output_per_million_usd", -1))));
  }

  @Test
  void pricesAreKeptAsTheirDecimalText() {
    ChatEndpoint endpoint = ChatEndpoint.fromConfig("task", minimal().put("prices", new JsonObject()
      .put("input_per_million_usd", 0.15).put("output_per_million_usd", 0.6)), variable -> null);
    assertEquals(new BigDecimal("0.15"), endpoint.prices().inputPerMillionUsd());
    assertEquals(new BigDecimal("0.15"), endpoint.prices().cachedInputPerMillionUsd(), "cached input defaults to input");
    assertEquals(new BigDecimal("0.6"), endpoint.prices().outputPerMillionUsd());
    // Three million calls of 7 prompt tokens add up exactly: no binary rounding creeps into a budget.
    BigDecimal one = endpoint.prices().costOf(Usage.of(7, 0));
    assertEquals(0, new BigDecimal("3.15").compareTo(one.multiply(BigDecimal.valueOf(3_000_000))));
  }
}
