package dev.promptlab.evolution.llm;

import dev.promptlab.evolution.EvolutionSettings;
import dev.promptlab.llm.ChatEndpoint;
import dev.promptlab.llm.ChatFailure;
import dev.promptlab.llm.ChatMessage;
import dev.promptlab.llm.ChatRequest;
import dev.promptlab.llm.ChatResponse;
import dev.promptlab.llm.OpenAiChatClient;
import dev.promptlab.llm.ResponseFormat;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Any OpenAI-compatible chat-completions endpoint asked for a JSON object ({@code response_format: json_object}),
 * through the shared {@link OpenAiChatClient} (timeout per attempt; 408, 409, 429, 5xx, timeouts and connection
 * errors retried with exponential back-off, honouring {@code Retry-After}; keys never logged nor echoed). A circuit
 * breaker on top stops calling after repeated failed calls, so a failing provider is not asked at every trigger.
 */
public final class OpenAiChatProvider implements PromptEvolutionProvider {

  /** The longest wait a server may ask for before the call gives up instead (evolutions are not urgent). */
  private static final long MAX_RETRY_DELAY_MS = 30_000;

  private final EvolutionSettings.Llm settings;
  private final OpenAiChatClient client;
  private final CircuitBreaker breaker;

  public OpenAiChatProvider(Vertx vertx, EvolutionSettings.Llm settings) {
    this.settings = settings;
    this.client = new OpenAiChatClient(vertx, endpoint(settings));
    this.breaker = CircuitBreaker.create("evolution-llm", vertx, new CircuitBreakerOptions()
      .setMaxFailures(settings.breakerMaxFailures())
      .setTimeout(-1)
      .setResetTimeout(settings.breakerResetMs())
      .setNotificationAddress(null));
  }

  /** The evolution verticle's {@code llm} settings as an endpoint of the shared client: one call at a time. */
  static ChatEndpoint endpoint(EvolutionSettings.Llm settings) {
    return ChatEndpoint.withKey("evolution", new JsonObject()
      .put("base_url", settings.baseUrl())
      .put("model", settings.model())
      .put("timeout_ms", settings.timeoutMs())
      .put("connect_timeout_ms", settings.timeoutMs())
      .put("max_concurrent", 1)
      .put("max_queued", 16)
      .put("max_attempts", settings.maxAttempts())
      .put("retry_backoff_ms", settings.retryBackoffMs())
      .put("max_retry_delay_ms", MAX_RETRY_DELAY_MS), settings.apiKey());
  }

  @Override
  public String name() {
    return EvolutionSettings.OPENAI;
  }

  @Override
  public String model() {
    return settings.model();
  }

  @Override
  public Future<String> propose(EvolutionRequest request) {
    ChatRequest chat = new ChatRequest(List.of(ChatMessage.system(request.systemMessage()),
      ChatMessage.user(request.userMessage())), settings.temperature(), null, null, ResponseFormat.jsonObject());
    return breaker.<String>execute(() -> client.chat(chat).map(ChatResponse::content)
        .recover(failure -> Future.failedFuture(providerFailure(failure))))
      .recover(failure -> Future.failedFuture(failure instanceof OpenCircuitException
        ? new ProviderFailure("the LLM circuit breaker is open after repeated failures; the provider was not called",
          true)
        : failure));
  }

  private static ProviderFailure providerFailure(Throwable failure) {
    if (failure instanceof ChatFailure chat) {
      return new ProviderFailure(chat.getMessage(), chat.kind() == ChatFailure.Kind.OVERLOADED);
    }
    return new ProviderFailure("the LLM call failed (" + failure.getClass().getSimpleName() + ")", false);
  }

  @Override
  public void close() {
    breaker.close();
    client.close();
  }
}
