package dev.promptlab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RequestDigestTest {

  private static final ChatRequest BASE = ChatRequest.of("Extract the city.", "I live in Lyon.");

  @Test
  void theSameRequestHasTheSameDigest() {
    String digest = RequestDigest.of("m", BASE);
    assertEquals(64, digest.length());
    assertEquals(digest, RequestDigest.of("m", ChatRequest.of("Extract the city.", "I live in Lyon.")));
  }

  @Test
  void everythingThatChangesTheAnswerChangesTheDigest() {
    JsonObject schema = new JsonObject().put("type", "object");
    List<String> digests = List.of(
      RequestDigest.of("m", BASE),
      RequestDigest.of("other-model", BASE),
      RequestDigest.of("m", ChatRequest.of("Extract the town.", "I live in Lyon.")),
      RequestDigest.of("m", ChatRequest.of("Extract the city.", "I live in Paris.")),
      RequestDigest.of("m", new ChatRequest(List.of(ChatMessage.user("Extract the city."),
        ChatMessage.user("I live in Lyon.")), null, null, null, null)),
      RequestDigest.of("m", new ChatRequest(List.of(ChatMessage.system("Extract the city.\nI live in Lyon.")), null,
        null, null, null)),
      RequestDigest.of("m", BASE.withTemperature(0)),
      RequestDigest.of("m", BASE.withTemperature(0.7)),
      RequestDigest.of("m", BASE.withMaxTokens(10)),
      RequestDigest.of("m", BASE.withSeed(1)),
      RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonObject())),
      RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonSchema("a", schema, true))),
      RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonSchema("a", schema, false))));
    Set<String> distinct = digests.stream().collect(Collectors.toSet());
    assertEquals(digests.size(), distinct.size());
  }

  @Test
  void theOrderOfKeysInASchemaDoesNotMatter() {
    JsonObject one = new JsonObject().put("type", "object").put("properties", new JsonObject()
      .put("a", new JsonObject().put("type", "string")).put("b", new JsonObject().put("type", "integer")))
      .put("required", new JsonArray().add("a").add("b"));
    JsonObject other = new JsonObject().put("required", new JsonArray().add("a").add("b")).put("properties",
      new JsonObject().put("b", new JsonObject().put("type", "integer")).put("a", new JsonObject().put("type", "string")))
      .put("type", "object");
    assertEquals(RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonSchema("s", one, true))),
      RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonSchema("s", other, true))));
    JsonObject reordered = one.copy().put("required", new JsonArray().add("b").add("a"));
    assertNotEquals(RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonSchema("s", one, true))),
      RequestDigest.of("m", BASE.withResponseFormat(ResponseFormat.jsonSchema("s", reordered, true))),
      "array order is meaning");
  }

  @Test
  void aMalformedRequestIsRefusedBeforeAnythingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> new ChatRequest(List.of(), null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new ChatMessage("tool", "x"));
    assertThrows(NullPointerException.class, () -> new ChatMessage("user", null));
    assertThrows(IllegalArgumentException.class, () -> BASE.withTemperature(2.5));
    assertThrows(IllegalArgumentException.class, () -> BASE.withTemperature(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> BASE.withMaxTokens(0));
    assertThrows(IllegalArgumentException.class, () -> ResponseFormat.jsonSchema("has space", new JsonObject(), true));
  }
}
