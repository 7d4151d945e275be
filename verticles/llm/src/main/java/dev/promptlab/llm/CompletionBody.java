package dev.promptlab.llm;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the bodies of chat-completion answers: a completion ({@code choices[0].message.content}, {@code usage}) and
 * the error shapes of the servers we speak to.
 */
final class CompletionBody {

  private CompletionBody() {
  }

  /**
   * The answer in a 200 body.
   *
   * @throws ChatFailure BAD_RESPONSE when the body is not a chat completion, NO_CONTENT when it has no text
   */
  static ChatResponse completion(Buffer body, TokenPrices prices, int attempts, KeyRedaction redaction) {
    JsonObject json = object(body);
    if (json == null) {
      throw new ChatFailure(ChatFailure.Kind.BAD_RESPONSE, 200, attempts,
        "the LLM answered HTTP 200 with a body that is not JSON");
    }
    if (!(json.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()
      || !(choices.getValue(0) instanceof JsonObject choice) || !(choice.getValue("message") instanceof JsonObject message)) {
      throw new ChatFailure(ChatFailure.Kind.BAD_RESPONSE, 200, attempts, "the LLM answer has no choices[0].message");
    }
    if (!(message.getValue("content") instanceof String content)) {
      String why = message.getValue("refusal") instanceof String refusal ? " (refusal: " + redaction.clean(refusal) + ")"
        : message.getValue("tool_calls") instanceof JsonArray ? " (it asked for tool calls)" : "";
      throw new ChatFailure(ChatFailure.Kind.NO_CONTENT, 200, attempts, "the LLM answer has no content" + why);
    }
    Usage usage = usage(json.getValue("usage"));
    return new ChatResponse(content, choice.getValue("finish_reason") instanceof String f ? f : null,
      json.getValue("model") instanceof String m ? m : null, usage, prices.costOf(usage), attempts, false);
  }

  /** The usage when it is complete and consistent, else {@link Usage#NOT_REPORTED}. */
  private static Usage usage(Object value) {
    if (!(value instanceof JsonObject usage) || !(usage.getValue("prompt_tokens") instanceof Number prompt)
      || !(usage.getValue("completion_tokens") instanceof Number completion)) {
      return Usage.NOT_REPORTED;
    }
    long cached = usage.getValue("prompt_tokens_details") instanceof JsonObject details
      && details.getValue("cached_tokens") instanceof Number n ? n.longValue() : 0;
    long p = prompt.longValue();
    long c = completion.longValue();
    if (p < 0 || c < 0 || p > Integer.MAX_VALUE || c > Integer.MAX_VALUE || cached < 0 || cached > p) {
      return Usage.NOT_REPORTED;
    }
    return new Usage((int) p, (int) c, (int) cached, true);
  }

  /**
   * The server's explanation in an error body, as {@code " (message)"}, or "" when there is none. Shapes read:
   * OpenAI, llama.cpp and newer vLLM {@code {"error": {"message"}}}; Ollama {@code {"error": "message"}}; older vLLM
   * {@code {"object": "error", "message"}}; Gemini {@code [{"error": {"message"}}]}.
   */
  static String errorText(Buffer body, KeyRedaction redaction) {
    Object json;
    try {
      json = body == null || body.length() == 0 ? null : Json.decodeValue(body);
    } catch (RuntimeException e) {
      return "";
    }
    if (json instanceof JsonArray list && !list.isEmpty()) {
      json = list.getValue(0);
    }
    String message = null;
    if (json instanceof JsonObject object) {
      Object error = object.getValue("error");
      if (error instanceof JsonObject e && e.getValue("message") instanceof String m) {
        message = m;
      } else if (error instanceof String s) {
        message = s;
      } else if (object.getValue("message") instanceof String m) {
        message = m;
      }
    }
    return message == null || message.isBlank() ? "" : " (" + redaction.clean(message.strip()) + ")";
  }

  private static JsonObject object(Buffer body) {
    try {
      return body.length() > 0 && Json.decodeValue(body) instanceof JsonObject json ? json : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
