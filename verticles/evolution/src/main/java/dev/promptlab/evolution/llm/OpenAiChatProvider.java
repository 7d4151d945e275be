package dev.promptlab.evolution.llm;

import dev.promptlab.evolution.EvolutionSettings;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any OpenAI-compatible chat-completions endpoint ({@code POST <base_url>/chat/completions}) asked for a JSON
 * object ({@code response_format: json_object}). Each call has a timeout; 429, 5xx, timeouts and connection
 * errors are retried with exponential back-off (honouring {@code Retry-After}); a circuit breaker stops calling
 * after repeated failed calls. The API key comes from configuration fed by the environment and is never logged.
 */
public final class OpenAiChatProvider implements PromptEvolutionProvider {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatProvider.class);
  private static final Set<Integer> RETRYABLE = Set.of(408, 409, 429, 500, 502, 503, 504);
  private static final long MAX_RETRY_AFTER_MS = 30_000;
  private static final int MAX_ERROR_TEXT = 300;
  private static final Pattern KEY_LIKE = Pattern.compile("(sk|key)-[A-Za-z0-9_*\\-]{6,}");

  private final Vertx vertx;
  private final EvolutionSettings.Llm settings;
  private final WebClient client;
  private final CircuitBreaker breaker;

  public OpenAiChatProvider(Vertx vertx, EvolutionSettings.Llm settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.client = WebClient.create(vertx, new WebClientOptions()
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMs()))
      .setUserAgent("PromptLab-evolution"));
    this.breaker = CircuitBreaker.create("evolution-llm", vertx, new CircuitBreakerOptions()
      .setMaxFailures(settings.breakerMaxFailures())
      .setTimeout(-1)
      .setResetTimeout(settings.breakerResetMs())
      .setNotificationAddress(null));
    if (settings.apiKey() == null) {
      LOG.info("no LLM API key configured: requests to {} are sent without authorization", settings.baseUrl());
    }
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
    JsonObject body = new JsonObject()
      .put("model", settings.model())
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", request.systemMessage()))
        .add(new JsonObject().put("role", "user").put("content", request.userMessage())))
      .put("response_format", new JsonObject().put("type", "json_object"))
      .put("temperature", settings.temperature());
    return breaker.<String>execute(() -> attempt(body, 1))
      .recover(failure -> Future.failedFuture(failure instanceof OpenCircuitException
        ? new ProviderFailure("the LLM circuit breaker is open after repeated failures; the provider was not called",
          true)
        : failure));
  }

  private Future<String> attempt(JsonObject body, int attempt) {
    HttpRequest<Buffer> request = client.postAbs(settings.baseUrl() + "/chat/completions")
      .timeout(settings.timeoutMs())
      .putHeader("Accept", "application/json");
    if (settings.apiKey() != null) {
      request.putHeader("Authorization", "Bearer " + settings.apiKey());
    }
    return request.sendJsonObject(body)
      .transform(ar -> {
        if (ar.failed()) {
          String what = ar.cause() instanceof TimeoutException || String.valueOf(ar.cause().getMessage()).contains("timeout")
            ? "no answer within " + settings.timeoutMs() + " ms" : "connection failed: " + redact(ar.cause().getMessage());
          return retryOrFail(body, attempt, what, 0);
        }
        HttpResponse<Buffer> response = ar.result();
        if (response.statusCode() == 200) {
          return content(response);
        }
        String what = "HTTP " + response.statusCode() + errorText(response);
        if (RETRYABLE.contains(response.statusCode())) {
          return retryOrFail(body, attempt, what, retryAfterMs(response));
        }
        return Future.failedFuture(new ProviderFailure("the LLM answered " + what, false));
      });
  }

  private Future<String> retryOrFail(JsonObject body, int attempt, String what, long retryAfterMs) {
    if (attempt >= settings.maxAttempts()) {
      return Future.failedFuture(new ProviderFailure("the LLM failed after " + attempt + " attempt"
        + (attempt == 1 ? "" : "s") + ": " + what, false));
    }
    long backoff = settings.retryBackoffMs() * (1L << (attempt - 1));
    long delay = Math.max(backoff, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
    LOG.warn("LLM attempt {} failed ({}); retrying in {} ms", attempt, what, delay);
    return vertx.timer(Math.max(1, delay)).compose(fired -> attempt(body, attempt + 1));
  }

  private static Future<String> content(HttpResponse<Buffer> response) {
    JsonObject json;
    try {
      json = response.bodyAsJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(new ProviderFailure("the LLM answered HTTP 200 with a body that is not JSON", false));
    }
    JsonArray choices = json == null ? null : json.getValue("choices") instanceof JsonArray a ? a : null;
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)
      || !(choice.getValue("message") instanceof JsonObject message)) {
      return Future.failedFuture(new ProviderFailure("the LLM answer has no choices[0].message", false));
    }
    Object content = message.getValue("content");
    if (!(content instanceof String text)) {
      Object refusal = message.getValue("refusal");
      return Future.failedFuture(new ProviderFailure("the LLM answer has no content"
        + (refusal instanceof String r ? " (refusal: " + bounded(r) + ")" : ""), false));
    }
    return Future.succeededFuture(text);
  }

  private static long retryAfterMs(HttpResponse<Buffer> response) {
    String header = response.getHeader("Retry-After");
    if (header == null) {
      return 0;
    }
    try {
      return (long) (Double.parseDouble(header.trim()) * 1000);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String errorText(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      if (json != null && json.getValue("error") instanceof JsonObject error && error.getValue("message") instanceof String m) {
        return " (" + redact(bounded(m)) + ")";
      }
    } catch (RuntimeException e) {
      // not JSON: the status code says enough
    }
    return "";
  }

  /** Provider error texts may echo part of a key; never let one into a log or a stored reason. */
  private String redact(String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    if (settings.apiKey() != null) {
      out = out.replace(settings.apiKey(), "[redacted]");
    }
    return KEY_LIKE.matcher(out).replaceAll("[redacted]");
  }

  private static String bounded(String text) {
    return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
  }

  @Override
  public void close() {
    breaker.close();
    client.close();
  }
}
