package dev.promptlab.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a chat request for a response cache: SHA-256 (hex) over the model, every message (role and
 * text) and every parameter that changes the answer (temperature, token limit, seed, response format). Object keys
 * inside a JSON schema are sorted first, so the same schema built in another order gives the same digest. The
 * endpoint's URL is not part of it: the same model behind another server answers the same request from the cache.
 */
public final class RequestDigest {

  /** Changes whenever the digested content changes, so old entries are simply never found again. */
  private static final String FORMAT = "promptlab-chat-v1";

  private RequestDigest() {
  }

  public static String of(String model, ChatRequest request) {
    JsonArray messages = new JsonArray();
    request.messages().forEach(m -> messages.add(new JsonArray().add(m.role()).add(m.content())));
    JsonObject format = request.responseFormat().toJson();
    JsonArray identity = new JsonArray().add(FORMAT).add(model).add(messages).add(request.temperature())
      .add(request.maxTokens()).add(request.seed()).add(format == null ? null : canonical(format));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
      return new JsonObject(sorted);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(canonical(item)));
      return out;
    }
    return value;
  }
}
