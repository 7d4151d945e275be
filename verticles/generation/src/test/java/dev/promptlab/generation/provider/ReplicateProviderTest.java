package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.ProviderTestSupport.REPLICATE_TOKEN;
import static dev.promptlab.generation.provider.ProviderTestSupport.providerFailure;
import static dev.promptlab.generation.provider.ProviderTestSupport.request;
import static dev.promptlab.testkit.Await.await;
import static dev.promptlab.testkit.FakeImageApis.REPLICATE_ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeImageApis.Received;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class ReplicateProviderTest {

  private static final String VERSION = "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b";

  private ProviderFixture fixture;
  private Vertx vertx;
  private FakeImageApis fake;

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start("replicate-test");
    vertx = fixture.vertx;
    fake = fixture.fake;
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private ReplicateProvider provider(JsonObject overrides) {
    JsonObject section = ProviderTestSupport.fastResilience()
      .put("base_url", fake.url(REPLICATE_ROOT))
      .put("api_token", REPLICATE_TOKEN)
      .put("version", VERSION)
      .put("wait_seconds", 5)
      .mergeIn(overrides);
    return new ReplicateProvider(vertx, fixture.client, fixture.workers, ReplicateSettings.from(section));
  }

  private ReplicateProvider provider() {
    return provider(new JsonObject());
  }

  @Test
  void createsAPredictionWithPreferWaitAndDownloadsTheOutput() throws Exception {
    fake.replicateRenderTakes(0);
    Buffer image = await(provider().generate(request()));
    assertArrayEquals(fake.replicateResult, image.getBytes());

    Received create = fake.received(Step.REPLICATE_PREDICTIONS).get(0);
    assertEquals("Bearer " + REPLICATE_TOKEN, create.headers().get("Authorization"));
    assertTrue(create.headers().get("Prefer").matches("wait=[1-5]"), create.headers().get("Prefer"));
    JsonObject body = create.json();
    assertEquals(VERSION, body.getString("version"));
    JsonObject input = body.getJsonObject("input");
    assertEquals("photorealistic interior, natural light", input.getString("prompt"));
    assertEquals("cartoon, blurry", input.getString("negative_prompt"));
    assertEquals(0.28, input.getDouble("strength"));
    assertEquals(7.6, input.getDouble("guidance_scale"));
    assertEquals(request().parameters(), provider().applied(request().parameters()), "every value is sent as it is");
    assertEquals(0.89, input.getDouble("controlnet_conditioning_scale"));
    assertEquals(1234567890123L & 0x7FFFFFFFL, input.getLong("seed"));
    String dataUri = input.getString("image");
    assertTrue(dataUri.startsWith("data:image/jpeg;base64,"), dataUri.substring(0, 30));
    BufferedImage sent = TestImages.decode(Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1)));
    assertEquals(200, sent.getWidth(), "the sideways original is sent upright");
    assertEquals(296, sent.getHeight());
    assertTrue(fake.received(Step.REPLICATE_STATUS).isEmpty(), "already finished: no polling");
    assertNull(fake.received(Step.REPLICATE_DELIVERY).get(0).headers().get("Authorization"), "no token goes to the file host");
  }

  @Test
  void aRenderWithinTheWaitIsAnsweredByTheCreateOnceDone() throws Exception {
    fake.renderTime(300);
    assertArrayEquals(fake.replicateResult, await(provider().generate(request())).getBytes());
    Reply created = fake.received(Step.REPLICATE_PREDICTIONS).get(0).reply();
    assertEquals("succeeded", created.json().getString("status"));
    assertEquals(300, created.delayMs(), "the create's answer waits for the render");
    assertTrue(fake.received(Step.REPLICATE_STATUS).isEmpty(), "answered done: no polling");
  }

  @Test
  void aRenderLongerThanTheWaitIsPolledUntilItIsDone() throws Exception {
    fake.renderTime(1200);
    assertArrayEquals(fake.replicateResult, await(provider(new JsonObject().put("wait_seconds", 1)).generate(request()))
      .getBytes());
    Received create = fake.received(Step.REPLICATE_PREDICTIONS).get(0);
    assertEquals("starting", create.reply().json().getString("status"), "the wait is shorter than the render");
    List<Received> polls = fake.received(Step.REPLICATE_STATUS);
    Received last = polls.get(polls.size() - 1);
    assertTrue(polls.subList(0, polls.size() - 1).stream()
      .allMatch(poll -> "processing".equals(poll.reply().json().getString("status"))));
    assertEquals("succeeded", last.reply().json().getString("status"));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(last.atNanos() - create.atNanos()) >= 1200, "done after its render time");
  }

  @Test
  void inputNamesExtraInputsAndOfficialModelsAreConfigurable() throws Exception {
    JsonObject overrides = new JsonObject().putNull("version").put("model", "stability-ai/sdxl")
      .put("input_names", new JsonObject().put("control_weight", "conditioning_scale").put("negative_prompt", "")
        .put("image", "init_image"))
      .put("extra_input", new JsonObject().put("num_inference_steps", 30));
    fake.replicateSchema("stability-ai/sdxl", List.of("prompt", "strength", "guidance_scale", "conditioning_scale",
      "seed", "init_image", "num_inference_steps"));
    await(provider(overrides).generate(request()));
    Received create = fake.received(Step.REPLICATE_PREDICTIONS).get(0);
    assertEquals(REPLICATE_ROOT + "/models/stability-ai/sdxl/predictions", create.path());
    JsonObject body = create.json();
    assertFalse(body.containsKey("version"));
    JsonObject input = body.getJsonObject("input");
    assertEquals(0.89, input.getDouble("conditioning_scale"));
    assertFalse(input.containsKey("controlnet_conditioning_scale"));
    assertFalse(input.containsKey("negative_prompt"), "an empty name leaves the value out");
    assertTrue(input.getString("init_image").startsWith("data:image/jpeg"));
    assertEquals(30, input.getInteger("num_inference_steps"));
  }

  @Test
  void pollsARunningPredictionUntilItSucceeds() throws Exception {
    // The prediction is processing at the first read and done at the second; a 503 comes before both.
    fake.next(Step.REPLICATE_STATUS, Reply.status(503));
    assertArrayEquals(fake.replicateResult, await(provider().generate(request())).getBytes());
    List<Received> polls = fake.received(Step.REPLICATE_STATUS);
    assertEquals(3, polls.size());
    assertEquals(REPLICATE_ROOT + "/predictions/" + fake.predictionIds().get(0), polls.get(0).path());
    assertEquals(polls.get(0).path(), polls.get(2).path());
    assertEquals("Bearer " + REPLICATE_TOKEN, polls.get(0).headers().get("Authorization"));
  }

  @Test
  void failedPredictionIsReportedWithItsReason() {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201,
      fake.prediction("pred9x", "failed", null, "CUDA out of memory")));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.OTHER, failure.kind());
    assertTrue(failure.getMessage().contains("CUDA out of memory"), failure.getMessage());
  }

  @Test
  void predictionStillRunningAtTheDeadlineIsCancelled() {
    fake.replicateRenderTakes(Integer.MAX_VALUE);
    ProviderFailure failure = providerFailure(provider(new JsonObject().put("total_timeout_ms", 2500)).generate(request()));
    assertEquals(ProviderFailure.Kind.TIMEOUT, failure.kind());
    List<Received> cancels = fake.received(Step.REPLICATE_CANCEL);
    assertEquals(1, cancels.size());
    assertEquals(REPLICATE_ROOT + "/predictions/" + fake.predictionIds().get(0) + "/cancel", cancels.get(0).path());
    assertEquals("Bearer " + REPLICATE_TOKEN, cancels.get(0).headers().get("Authorization"));
  }

  @Test
  void rateLimitedCreateIsRetriedAfterRetryAfter() throws Exception {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(429,
      new JsonObject().put("detail", "Request was throttled.")).withHeader("Retry-After", "1"));
    assertArrayEquals(fake.replicateResult, await(provider().generate(request())).getBytes());
    List<Received> creates = fake.received(Step.REPLICATE_PREDICTIONS);
    assertEquals(2, creates.size());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(creates.get(1).atNanos() - creates.get(0).atNanos()) >= 1000);
  }

  @Test
  void createIsNotRetriedAfterAServerError() {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.status(500));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, providerFailure(provider().generate(request())).kind());
    assertEquals(1, fake.received(Step.REPLICATE_PREDICTIONS).size());
  }

  @Test
  void refusedTokenIsAnAuthFailure() {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(401,
      new JsonObject().put("detail", "Invalid token " + REPLICATE_TOKEN)));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.AUTH, failure.kind());
    assertFalse(failure.getMessage().contains(REPLICATE_TOKEN));
  }

  @Test
  void slowCreatePastItsTimeoutIsATimeout() {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.hang());
    ProviderFailure failure = providerFailure(provider(new JsonObject().put("wait_seconds", 1)
      .put("request_timeout_ms", 200)).generate(request()));
    assertEquals(ProviderFailure.Kind.TIMEOUT, failure.kind());
  }

  @Test
  void malformedAnswersAreBadResponses() {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.text(201, "<html>gateway</html>"));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201, fake.prediction("pred9x", "succeeded", 42, null)));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201, fake.prediction("../x", "processing", null, null)));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201, new JsonObject().put("status", "exploded")));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
  }

  @Test
  void dataUriOutputsAreDecoded() throws Exception {
    String inline = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(fake.replicateResult);
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201,
      fake.prediction("pred9x", "succeeded", new JsonArray().add(inline), null)));
    assertArrayEquals(fake.replicateResult, await(provider().generate(request())).getBytes());
    assertTrue(fake.received(Step.REPLICATE_DELIVERY).isEmpty());
  }

  @Test
  void largeImagesGoThroughTheFilesEndpoint() throws Exception {
    await(provider(new JsonObject().put("data_uri_max_bytes", 100)).generate(request()));
    Received upload = fake.received(Step.REPLICATE_FILES).get(0);
    assertEquals("Bearer " + REPLICATE_TOKEN, upload.headers().get("Authorization"));
    assertEquals(200, TestImages.decode(upload.files().get("content").getBytes()).getWidth());
    JsonObject input = fake.received(Step.REPLICATE_PREDICTIONS).get(0).json().getJsonObject("input");
    assertEquals(fake.url("/files/file1"), input.getString("image"));
  }

  @Test
  void settingsNeedAVersionOrAModelAndKnownInputNames() {
    JsonObject base = new JsonObject().put("api_token", "t");
    assertThrows(IllegalArgumentException.class, () -> ReplicateSettings.from(base.copy()));
    assertThrows(IllegalArgumentException.class, () -> ReplicateSettings.from(base.copy().put("version", VERSION)
      .put("model", "a/b")));
    assertThrows(IllegalArgumentException.class, () -> ReplicateSettings.from(base.copy().put("model", "no-slash")));
    assertThrows(IllegalArgumentException.class, () -> ReplicateSettings.from(base.copy().put("version", VERSION)
      .put("input_names", new JsonObject().put("colour", "c"))));
    IllegalArgumentException noToken = assertThrows(IllegalArgumentException.class,
      () -> ReplicateSettings.from(new JsonObject().put("version", VERSION)));
    assertTrue(noToken.getMessage().contains("REPLICATE_API_TOKEN"));
    ReplicateSettings withToken = ReplicateSettings.from(new JsonObject().put("version", VERSION)
      .put("api_token", "env-token"));
    assertEquals("env-token", withToken.apiToken().reveal());
    assertFalse(withToken.toString().contains("env-token"), "settings never print the token");
  }
}
