package dev.promptlab.llm;

import static dev.promptlab.llm.ChatClientHarness.KEY;
import static dev.promptlab.llm.ChatClientHarness.failure;
import static dev.promptlab.llm.ChatClientHarness.question;
import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.error;
import static dev.promptlab.testkit.FakeChatCompletions.raw;
import static dev.promptlab.testkit.FakeChatCompletions.refusal;
import static dev.promptlab.testkit.FakeChatCompletions.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every way a call can fail, each with its kind and a message that says what happened and holds no key. */
@ExtendWith(BlockedThreadGuard.class)
class FailureTest {

  private final ChatClientHarness harness = new ChatClientHarness(KEY);

  @AfterEach
  void stop() {
    harness.close();
  }

  private ChatFailure failsWith(FailureExpectation expected) {
    ChatFailure failure = failure(harness.client(new JsonObject()).chat(question()));
    assertEquals(expected.kind, failure.kind(), failure.getMessage());
    assertEquals(expected.message, failure.getMessage());
    assertEquals(1, harness.server.received.size(), "not retried");
    harness.server.received.clear();
    return failure;
  }

  private record FailureExpectation(ChatFailure.Kind kind, String message) {
  }

  @Test
  void aWrongKeyIsUnauthorizedNotRetriedAndNeverEchoed() {
    harness.server.thenAnswer(error(401, "invalid_api_key", "Incorrect API key provided: " + KEY
      + ". You can find your API key at https://platform.openai.com/account/api-keys.", null));
    ChatFailure failure = failsWith(new FailureExpectation(ChatFailure.Kind.UNAUTHORIZED,
      "the LLM answered HTTP 401 (Incorrect API key provided: [redacted]. You can find your API key at"
        + " https://platform.openai.com/account/api-keys.)"));
    assertFalse(failure.transientFailure());
    harness.server.thenAnswer(error(403, null, "Project does not have access to model test-model", null));
    failsWith(new FailureExpectation(ChatFailure.Kind.UNAUTHORIZED,
      "the LLM answered HTTP 403 (Project does not have access to model test-model)"));
  }

  @Test
  void anotherKeyShapedTextIsRedactedToo() {
    harness.server.thenAnswer(error(400, null, "key AIzaSyA-0123456789abcdefghijklmnopqrstu is not valid here;"
      + " nor is sk-proj-abcdef0123456789", null));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED,
      "the LLM answered HTTP 400 (key [redacted] is not valid here; nor is [redacted])"));
  }

  @Test
  void theRequestChecksOfTheRealApiAreRejections() {
    harness.server.thenAnswer((request, body) -> error(400, null, "'messages' must contain the word 'json' in some"
      + " form, to use 'response_format' of type 'json_object'.", null).send(request, body));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED, "the LLM answered HTTP 400 ('messages' must contain"
      + " the word 'json' in some form, to use 'response_format' of type 'json_object'.)"));
  }

  @Test
  void theErrorShapesOfEveryServerAreRead() {
    harness.server.thenAnswer(raw(404, "application/json", "{\"error\":\"model \\\"llama3\\\" not found, try pulling it"
      + " first\"}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED,
      "the LLM answered HTTP 404 (model \"llama3\" not found, try pulling it first)"));
    harness.server.thenAnswer(raw(400, "application/json", "{\"object\":\"error\",\"message\":\"This model's maximum"
      + " context length is 4096 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED,
      "the LLM answered HTTP 400 (This model's maximum context length is 4096 tokens.)"));
    harness.server.thenAnswer(raw(400, "application/json", "[{\"error\":{\"code\":400,\"message\":\"Invalid JSON"
      + " payload received.\",\"status\":\"INVALID_ARGUMENT\"}}]"));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED,
      "the LLM answered HTTP 400 (Invalid JSON payload received.)"));
    harness.server.thenAnswer(raw(501, "application/json", "{\"error\":{\"code\":501,\"message\":\"This server does"
      + " not support embeddings.\",\"type\":\"not_supported_error\"}}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED,
      "the LLM answered HTTP 501 (This server does not support embeddings.)"));
    harness.server.thenAnswer(raw(404, "text/html", "<html><body>Not Found</body></html>"));
    failsWith(new FailureExpectation(ChatFailure.Kind.REJECTED, "the LLM answered HTTP 404"));
  }

  @Test
  void aBodyThatIsNotAChatCompletionIsABadResponse() {
    String notJson = "the LLM answered HTTP 200 with a body that is not JSON";
    String noMessage = "the LLM answer has no choices[0].message";
    harness.server.thenAnswer(raw(200, "text/html", "<!doctype html><title>Welcome to nginx!</title>"));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, notJson));
    harness.server.thenAnswer(raw(200, "application/json", "{\"id\": \"chatcmpl-1\", \"choices\": [{\"message\": "));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, notJson));
    harness.server.thenAnswer(raw(200, "application/json", ""));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, notJson));
    harness.server.thenAnswer(raw(200, "application/json", "[{\"choices\": []}]"));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, notJson));
    harness.server.thenAnswer(raw(200, "application/json", "{\"object\": \"list\", \"data\": []}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, noMessage));
    harness.server.thenAnswer(raw(200, "application/json", "{\"choices\": []}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, noMessage));
    harness.server.thenAnswer(raw(200, "application/json", "{\"choices\": [{\"message\": \"Lyon\"}]}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, noMessage));
    harness.server.thenAnswer(raw(302, "text/plain", "moved"));
    failsWith(new FailureExpectation(ChatFailure.Kind.BAD_RESPONSE, "the LLM answered HTTP 302"));
  }

  @Test
  void aCompletionWithoutTextIsNoContent() {
    harness.server.thenAnswer(refusal("I can't help with that."));
    failsWith(new FailureExpectation(ChatFailure.Kind.NO_CONTENT,
      "the LLM answer has no content (refusal: I can't help with that.)"));
    harness.server.thenAnswer(raw(200, "application/json", "{\"choices\": [{\"index\": 0, \"message\": {\"role\":"
      + " \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\"}]},"
      + " \"finish_reason\": \"tool_calls\"}]}"));
    failsWith(new FailureExpectation(ChatFailure.Kind.NO_CONTENT, "the LLM answer has no content (it asked for tool"
      + " calls)"));
  }

  @Test
  void inconsistentUsageIsTreatedAsNotReported() {
    harness.server.thenAnswer(raw(200, "application/json", "{\"choices\": [{\"message\": {\"role\": \"assistant\","
      + " \"content\": \"Lyon\"}}], \"usage\": {\"prompt_tokens\": 10, \"completion_tokens\": -3}}"));
    assertEquals(Usage.NOT_REPORTED, dev.promptlab.testkit.Await.await(harness.client(new JsonObject())
      .chat(question())).usage());
  }

  @Test
  void anAnswerLargerThanAllowedIsRefused() {
    harness.server.otherwise(completion("x".repeat(5000)));
    ChatFailure failure = failure(harness.client(new JsonObject().put("max_response_bytes", 1024)).chat(question()));
    assertEquals(ChatFailure.Kind.BAD_RESPONSE, failure.kind());
    assertEquals("the LLM answered HTTP 200 with a body larger than max_response_bytes (1024)", failure.getMessage());
    assertEquals(1, harness.server.received.size());
  }

  @Test
  void aSilentServerTimesOutOnEveryAttempt() {
    harness.server.otherwise(silence());
    ChatFailure failure = failure(harness.client(new JsonObject().put("timeout_ms", 300).put("max_attempts", 2))
      .chat(question()));
    assertEquals(ChatFailure.Kind.TIMEOUT, failure.kind());
    assertEquals("the LLM failed after 2 attempts: no answer within 300 ms", failure.getMessage());
    assertEquals(2, harness.server.received.size());
    assertEquals(1, harness.retries.size());
  }

  @Test
  void anAnswerThatTricklesInIsCutAtTheDeadline() {
    harness.server.otherwise(harness.server.trickle(20));
    ChatFailure failure = failure(harness.client(new JsonObject().put("timeout_ms", 300).put("max_attempts", 1))
      .chat(question()));
    assertEquals(ChatFailure.Kind.TIMEOUT, failure.kind());
    assertEquals("the LLM failed after 1 attempt: no answer within 300 ms", failure.getMessage());
    dev.promptlab.testkit.Eventually.until("the server saw the connection closed", () -> harness.server.inFlight() == 0);
  }

  @Test
  void anUnreachableServerIsAConnectionFailureAfterEveryAttempt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ChatEndpoint endpoint = ChatEndpoint.withKey("task", harness.config(new JsonObject()
      .put("base_url", "http://127.0.0.1:" + closedPort + "/v1")), KEY);
    ChatFailure failure = failure(harness.client(endpoint).chat(question()));
    assertEquals(ChatFailure.Kind.CONNECTION, failure.kind());
    assertTrue(failure.getMessage().startsWith("the LLM failed after 3 attempts: connection failed: "),
      failure.getMessage());
    assertEquals(2, harness.retries.size());
    assertEquals(0, failure.status());
  }
}
