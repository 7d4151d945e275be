package dev.promptlab.evolution;

import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.error;
import static dev.promptlab.testkit.FakeChatCompletions.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.FakeChatCompletions.Received;
import dev.promptlab.evolution.llm.EvolutionRequest;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The openai provider against a local server speaking the chat-completions wire format. */
@ExtendWith(BlockedThreadGuard.class)
class OpenAiEvolutionTest {

  private static final String KEY = "sk-test-0123456789abcdef";
  private static final String IMPROVED = "professional interior photograph, photorealistic, cinematic depth of field,"
    + " soft natural light, " + TestPrompts.PRESERVED;

  @TempDir
  Path temp;
  private FakeChatCompletions llm;
  private EvolutionHarness harness;

  @BeforeEach
  void start() {
    llm = new FakeChatCompletions(KEY);
    harness = new EvolutionHarness(temp);
  }

  @AfterEach
  void stop() {
    harness.close();
    llm.close();
  }

  private EvolutionHarness withOpenAi(JsonObject extra) {
    JsonObject llmConfig = new JsonObject().put("provider", "openai").put("base_url", llm.baseUrl())
      .put("model", "test-model").put("api_key", KEY).put("timeout_ms", 2000).put("max_attempts", 3)
      .put("retry_backoff_ms", 10).mergeIn(extra);
    return harness.with("llm", llmConfig);
  }

  private static String proposal() {
    return new JsonObject().put("improved_prompt", IMPROVED)
      .put("improved_negative_prompt", "drawn, sketch, cartoon, flat, montage, cgi")
      .put("changes", new JsonArray().add("replaced 'render' with 'photograph'").add("added cinematic depth of field"))
      .put("reasoning", "'render' invites a CGI look; depth of field adds depth")
      .put("expected_improvement", "less flat, more photographic").encode();
  }

  private JsonObject evolve() {
    return harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject().put("requested_by", "admin@x.io"));
  }

  @Test
  void evolvesThePromptWithTheModelsAnswer() throws Exception {
    llm.otherwise(completion(proposal()));
    withOpenAi(new JsonObject()).deploy();
    for (String comment : new String[] {"se ve plano", "parece un render", "flat and fake"}) {
      harness.publish(TrainingRows.rateOne("v1.0.0", null, 2, comment));
    }
    Eventually.until("the ratings are counted", () ->
      TestDatabase.count("SELECT sample_count FROM prompt_versions WHERE version = 'v1.0.0'") == 3);

    JsonObject evolution = evolve();
    assertEquals("succeeded", evolution.getString("status"), evolution.encodePrettily());
    assertEquals("openai", evolution.getString("provider"));
    assertEquals("test-model", evolution.getString("model"));
    assertEquals(IMPROVED, evolution.getJsonObject("proposal").getString("improved_prompt"));

    assertEquals(1, llm.received.size());
    Received request = llm.received.get(0);
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("Bearer " + KEY, request.authorization());
    assertEquals("test-model", request.body().getString("model"));
    assertEquals("json_object", request.body().getJsonObject("response_format").getString("type"));
    JsonArray messages = request.body().getJsonArray("messages");
    assertEquals("system", messages.getJsonObject(0).getString("role"));
    assertEquals(Files.readString(harness.prompts.resolve("evolution-system-prompt.txt")).strip() + "\n\n"
      + EvolutionRequest.DATA_RULES, messages.getJsonObject(0).getString("content"));
    assertEquals("user", messages.getJsonObject(1).getString("role"));
    JsonObject user = new JsonObject(messages.getJsonObject(1).getString("content"));
    assertTrue(user.getString("current_prompt").startsWith("ultra-realistic, photorealistic interior design render"));
    assertEquals(2.0, user.getDouble("average_rating"));
    assertEquals(3, user.getInteger("sample_count"));
    JsonArray issues = user.getJsonArray("issues");
    assertEquals("flat_montage", issues.getJsonObject(0).getString("issue"));
    assertEquals(2, issues.getJsonObject(0).getInteger("count"));

    JsonObject v101 = harness.request(Addresses.EVOLUTION_VERSION_SHOW, new JsonObject().put("version", "v1.0.1"));
    assertEquals(IMPROVED, v101.getJsonObject("leonardo").getString("prompt"));
    assertEquals(IMPROVED, v101.getJsonObject("stablediffusion").getString("prompt"));
    assertEquals("drawn, sketch, cartoon, flat, montage, cgi",
      v101.getJsonObject("stablediffusion").getString("negative_prompt"));
    assertEquals("test-model", v101.getJsonObject("metadata").getString("model"));
    assertEquals("evolution:openai", v101.getString("created_by"));
  }

  @Test
  void malformedJsonFromTheModelIsRefusedAndRecorded() {
    llm.thenAnswer(completion("Sure! Here is a better prompt: {improved_prompt: photorealistic"));
    withOpenAi(new JsonObject()).deploy();
    JsonObject evolution = evolve();
    assertEquals("refused", evolution.getString("status"));
    assertTrue(evolution.getString("reason").contains("not valid JSON"), evolution.getString("reason"));
    assertTrue(evolution.getJsonObject("proposal").getString("raw").startsWith("Sure! Here is"));
    assertNull(evolution.getValue("candidate_version"));
    assertFalse(Files.exists(harness.prompts.resolve("versions/v1.0.1.json")));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM ab_tests"));
    llm.thenAnswer(completion(new JsonObject().put("improved_prompt", "").put("changes", new JsonArray())
      .put("reasoning", "").put("expected_improvement", "").encode()));
    JsonObject empty = evolve();
    assertEquals("refused", empty.getString("status"));
    assertTrue(empty.getString("reason").contains("improved_prompt is empty"), empty.getString("reason"));
  }

  @Test
  void retriesARateLimitAndThenSucceeds() {
    llm.thenAnswer(error(429, "rate_limit_exceeded", "Rate limit reached for test-model", "0")).otherwise(completion(proposal()));
    withOpenAi(new JsonObject()).deploy();
    assertEquals("succeeded", evolve().getString("status"));
    assertEquals(2, llm.received.size());
  }

  @Test
  void givesUpAfterRepeatedRateLimitsAndSaysWhy() {
    llm.otherwise(error(429, "rate_limit_exceeded", "Rate limit reached for test-model", "0"));
    withOpenAi(new JsonObject()).deploy();
    JsonObject evolution = evolve();
    assertEquals("failed", evolution.getString("status"));
    assertTrue(evolution.getString("reason").startsWith("openai test-model: the LLM failed after 3 attempts: HTTP 429"
      + " (Rate limit reached for test-model)"), evolution.getString("reason"));
    assertEquals(3, llm.received.size());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE version <> 'v1.0.0'"));
  }

  @Test
  void aServerAskingForALongerWaitThanHalfAMinuteIsNotAskedAgain() {
    llm.otherwise(error(429, "rate_limit_exceeded", "Rate limit reached for test-model", "120"));
    withOpenAi(new JsonObject()).deploy();
    JsonObject evolution = evolve();
    assertEquals("failed", evolution.getString("status"));
    assertTrue(evolution.getString("reason").startsWith("openai test-model: the LLM asked to wait 120000 ms before"
      + " another attempt, more than max_retry_delay_ms (30000): HTTP 429"), evolution.getString("reason"));
    assertEquals(1, llm.received.size());
  }

  @Test
  void aSilentServerTimesOut() {
    llm.otherwise(silence());
    withOpenAi(new JsonObject().put("timeout_ms", 300).put("max_attempts", 2)).deploy();
    JsonObject evolution = evolve();
    assertEquals("failed", evolution.getString("status"));
    assertTrue(evolution.getString("reason").contains("after 2 attempts: no answer within 300 ms"),
      evolution.getString("reason"));
    assertEquals(2, llm.received.size());
  }

  @Test
  void anAuthorisationErrorIsNotRetriedAndTheKeyNeverShows() {
    llm.otherwise(error(401, "invalid_api_key", "Incorrect API key provided: " + KEY + ". Find your key at platform",
      null));
    withOpenAi(new JsonObject()).deploy();
    JsonObject evolution = evolve();
    assertEquals("failed", evolution.getString("status"));
    assertTrue(evolution.getString("reason").contains("HTTP 401"), evolution.getString("reason"));
    assertFalse(evolution.getString("reason").contains(KEY), evolution.getString("reason"));
    assertTrue(evolution.getString("reason").contains("[redacted]"), evolution.getString("reason"));
    assertEquals(1, llm.received.size());
  }

  @Test
  void theCircuitBreakerStopsCallingAFailingProvider() {
    llm.otherwise(error(503, "server_error", "overloaded", null));
    withOpenAi(new JsonObject().put("max_attempts", 1).put("breaker_max_failures", 1)).deploy();
    assertEquals("failed", evolve().getString("status"));
    JsonObject second = evolve();
    assertEquals("failed", second.getString("status"));
    assertTrue(second.getString("reason").contains("circuit breaker is open"), second.getString("reason"));
    assertEquals(1, llm.received.size(), "the open breaker did not call the server");
  }

  @Test
  void aFailingProviderNeverBreaksRating() {
    llm.otherwise(error(500, "server_error", "boom", null));
    withOpenAi(new JsonObject().put("max_attempts", 1)).deploy();
    for (int i = 0; i < 12; i++) {
      harness.publish(TrainingRows.rateOne("v1.0.0", null, 2, "plano"));
    }
    Eventually.until("the triggered evolution failed", () ->
      TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'failed' AND trigger = 'periodic'") == 1);
    Eventually.until("every rating is applied", () ->
      TestDatabase.count("SELECT sample_count FROM prompt_versions WHERE version = 'v1.0.0'") == 12);
    AssignReply reply = AssignReply.fromJson(harness.request(Addresses.EVOLUTION_ASSIGN,
      new JsonObject().put("mode", "structure").put("count", 2)));
    assertEquals("v1.0.0", reply.assignments().get(0).version());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions"), "spaced out, not retried at once");
  }

  @Test
  void anEvolutionCutShortWhileTheModelThinksIsRecordedByTheStop() {
    llm.otherwise(silence());
    withOpenAi(new JsonObject().put("timeout_ms", 60_000)).with("stop_grace_ms", 100).deploy();
    harness.vertx.eventBus().request(Addresses.EVOLUTION_EVOLVE, new JsonObject(),
      new DeliveryOptions().setSendTimeout(120_000));
    Eventually.until("the model was asked", () -> llm.received.size() == 1);
    harness.close();
    harness = harness.restart().deploy();
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'failed'"
      + " AND reason = 'interrupted by a stop before its version was written'"));
    assertFalse(Files.exists(harness.prompts.resolve("versions/v1.0.1.json")));
  }
}
