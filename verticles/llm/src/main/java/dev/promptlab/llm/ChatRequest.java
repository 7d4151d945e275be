package dev.promptlab.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One chat completion to ask for: the messages and the sampling parameters. The model is the endpoint's
 * ({@link ChatEndpoint#model()}). Null parameters are left out of the request, so the server's defaults apply.
 *
 * @param temperature  0 to 2, or null
 * @param maxTokens    the most tokens the answer may have, or null
 * @param seed         asks the server for reproducible sampling where it supports it, or null
 */
public record ChatRequest(List<ChatMessage> messages, Double temperature, Integer maxTokens, Long seed,
                          ResponseFormat responseFormat) {

  public ChatRequest {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
      throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("max tokens must be at least 1, got " + maxTokens);
    }
    responseFormat = Objects.requireNonNullElse(responseFormat, ResponseFormat.TEXT);
  }

  /** A system message and a user message, free text, the server's sampling defaults. */
  public static ChatRequest of(String system, String user) {
    return new ChatRequest(List.of(ChatMessage.system(system), ChatMessage.user(user)), null, null, null,
      ResponseFormat.TEXT);
  }

  public ChatRequest withTemperature(double value) {
    return new ChatRequest(messages, value, maxTokens, seed, responseFormat);
  }

  public ChatRequest withMaxTokens(int value) {
    return new ChatRequest(messages, temperature, value, seed, responseFormat);
  }

  public ChatRequest withSeed(long value) {
    return new ChatRequest(messages, temperature, maxTokens, value, responseFormat);
  }

  public ChatRequest withResponseFormat(ResponseFormat value) {
    return new ChatRequest(messages, temperature, maxTokens, seed, value);
  }

  /**
   * The body of {@code POST /chat/completions} for {@code model}; the answer's length limit goes under
   * {@code maxTokensParameter} ({@code max_tokens}, or {@code max_completion_tokens} for OpenAI's reasoning models).
   */
  public JsonObject body(String model, String maxTokensParameter) {
    JsonArray list = new JsonArray();
    messages.forEach(m -> list.add(new JsonObject().put("role", m.role()).put("content", m.content())));
    JsonObject body = new JsonObject().put("model", model).put("messages", list);
    if (temperature != null) {
      body.put("temperature", temperature);
    }
    if (maxTokens != null) {
      body.put(maxTokensParameter, maxTokens);
    }
    if (seed != null) {
      body.put("seed", seed);
    }
    JsonObject format = responseFormat.toJson();
    if (format != null) {
      body.put("response_format", format);
    }
    return body;
  }
}
