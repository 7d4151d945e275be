package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.ProviderTestSupport.LEONARDO_KEY;
import static dev.promptlab.generation.provider.ProviderTestSupport.providerFailure;
import static dev.promptlab.generation.provider.ProviderTestSupport.request;
import static dev.promptlab.testkit.Await.await;
import static dev.promptlab.testkit.FakeImageApis.LEONARDO_ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeImageApis.Received;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class LeonardoProviderTest {

  private ProviderFixture fixture;
  private Vertx vertx;
  private FakeImageApis fake;

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start("leonardo-test");
    vertx = fixture.vertx;
    fake = fixture.fake;
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private LeonardoProvider provider(JsonObject overrides) {
    JsonObject section = ProviderTestSupport.fastResilience()
      .put("base_url", fake.url(LEONARDO_ROOT))
      .put("api_key", LEONARDO_KEY)
      .put("model_id", "model-abc")
      .mergeIn(overrides);
    return new LeonardoProvider(vertx, fixture.client, fixture.workers, LeonardoSettings.from(section));
  }

  private LeonardoProvider provider() {
    return provider(new JsonObject());
  }

  @Test
  void uploadsTheInitImageCreatesAGenerationPollsAndDownloads() throws Exception {
    // Not known yet at the first read; then PENDING, then COMPLETE.
    fake.next(Step.LEONARDO_STATUS, Reply.json(new JsonObject().putNull("generations_by_pk")));
    Buffer image = await(provider().generate(request()));
    assertArrayEquals(fake.leonardoResult, image.getBytes());

    Received init = fake.received(Step.LEONARDO_INIT_IMAGE).get(0);
    assertEquals("Bearer " + LEONARDO_KEY, init.headers().get("Authorization"));
    assertEquals("jpg", init.json().getString("extension"));
    String initId = init.reply().json().getJsonObject("uploadInitImage").getString("id");

    Received upload = fake.received(Step.PRESIGNED_UPLOAD).get(0);
    assertNull(upload.headers().get("Authorization"), "no Leonardo key goes to the storage host");
    assertNotNull(upload.headers().get("Content-Length"), "S3's presigned POST needs the length");
    assertNull(upload.headers().get("Transfer-Encoding"), "S3's presigned POST refuses a chunked body");
    assertEquals("users/u1/initImages/" + initId + ".jpg", upload.form().get("key"));
    assertEquals(FakeImageApis.PRESIGNED_SIGNATURE, upload.form().get("X-Amz-Signature"));
    BufferedImage sent = TestImages.decode(upload.files().get("file").getBytes());
    assertEquals(200, sent.getWidth(), "the sideways original is sent upright");
    assertEquals(296, sent.getHeight(), "sides are multiples of 8");

    Received create = fake.received(Step.LEONARDO_GENERATIONS).get(0);
    JsonObject generation = create.json();
    assertEquals("photorealistic interior, natural light", generation.getString("prompt"));
    assertEquals("cartoon, blurry", generation.getString("negative_prompt"));
    assertEquals("model-abc", generation.getString("modelId"));
    assertEquals(initId, generation.getString("init_image_id"));
    assertEquals(0.28, generation.getDouble("init_strength"));
    assertEquals(8, generation.getInteger("guidance_scale"), "Leonardo takes whole guidance values");
    assertEquals(200, generation.getInteger("width"));
    assertEquals(296, generation.getInteger("height"));
    assertEquals(1, generation.getInteger("num_images"));
    assertEquals(1234567890123L & 0x7FFFFFFFL, generation.getLong("seed"));
    JsonObject controlnet = generation.getJsonArray("controlnets").getJsonObject(0);
    assertEquals(initId, controlnet.getString("initImageId"));
    assertEquals("UPLOADED", controlnet.getString("initImageType"));
    assertEquals(19, controlnet.getInteger("preprocessorId"));
    assertEquals(0.89, controlnet.getDouble("weight"));

    List<Received> polls = fake.received(Step.LEONARDO_STATUS);
    assertEquals(3, polls.size());
    String job = create.reply().json().getJsonObject("sdGenerationJob").getString("generationId");
    assertEquals(LEONARDO_ROOT + "/generations/" + job, polls.get(0).path());
    assertNull(fake.received(Step.LEONARDO_CDN).get(0).headers().get("Authorization"), "no key goes to the file host");
  }

  @Test
  void aGenerationWithARenderTimeIsPolledUntilItIsDone() throws Exception {
    fake.renderTime(400);
    assertArrayEquals(fake.leonardoResult, await(provider().generate(request())).getBytes());
    Received create = fake.received(Step.LEONARDO_GENERATIONS).get(0);
    List<Received> polls = fake.received(Step.LEONARDO_STATUS);
    Received last = polls.get(polls.size() - 1);
    assertTrue(polls.size() > 1, "read while rendering, then done: " + polls.size());
    assertTrue(polls.subList(0, polls.size() - 1).stream().allMatch(poll -> "PENDING".equals(status(poll))));
    assertEquals("COMPLETE", status(last));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(last.atNanos() - create.atNanos()) >= 400, "done after its render time");
  }

  private static String status(Received poll) {
    return poll.reply().json().getJsonObject("generations_by_pk").getString("status");
  }

  @Test
  void theGuidanceSentIsTheWholeNumberItReportsAsApplied() throws Exception {
    LeonardoProvider provider = provider();
    GenerationParameters requested = new GenerationParameters("leonardo", 0.31, 6.56, 0.87);
    GenerationParameters applied = provider.applied(requested);
    assertEquals(new GenerationParameters("leonardo", 0.31, 7, 0.87), applied, "only the guidance changes");
    assertEquals(12.0, provider.applied(new GenerationParameters("leonardo", 0.3, 11.5, 0.9)).guidanceScale());
    assertEquals(5.0, provider.applied(new GenerationParameters("leonardo", 0.3, 5.49, 0.9)).guidanceScale());

    ProviderRequest base = request();
    await(provider.generate(new ProviderRequest(base.original(), base.originalContentType(), requested, base.prompt(),
      base.seed(), base.mode())));
    JsonObject sent = fake.received(Step.LEONARDO_GENERATIONS).get(0).json();
    assertEquals(Integer.valueOf(7), sent.getValue("guidance_scale"), "a JSON integer, as Leonardo requires");
    assertEquals(applied.guidanceScale(), sent.getInteger("guidance_scale").doubleValue());
    assertEquals(applied.strength(), sent.getDouble("init_strength"));
    assertEquals(applied.controlWeight(), sent.getJsonArray("controlnets").getJsonObject(0).getDouble("weight"));
  }

  @Test
  void anUploadTheStorageRefusesFailsWithoutStartingAJob() {
    fake.next(Step.PRESIGNED_UPLOAD, Reply.xml(411, FakeImageApis.S3_MISSING_CONTENT_LENGTH));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.OTHER, failure.kind());
    assertTrue(failure.getMessage().contains("init-image upload answered HTTP 411"), failure.getMessage());
    assertEquals(1, fake.received(Step.PRESIGNED_UPLOAD).size(), "a refused upload is not repeated");
    assertEquals(0, fake.received(Step.LEONARDO_GENERATIONS).size(), "no paid job without the image");
  }

  @Test
  void refusedKeyIsAnAuthFailureWithoutRetries() {
    fake.next(Step.LEONARDO_INIT_IMAGE,
      Reply.json(401, new JsonObject().put("error", "Invalid API key " + LEONARDO_KEY)));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.AUTH, failure.kind());
    assertFalse(failure.getMessage().contains(LEONARDO_KEY), "the answer's body never reaches the message");
    assertEquals(1, fake.received(Step.LEONARDO_INIT_IMAGE).size());
  }

  @Test
  void rateLimitWaitsAsLongAsRetryAfterAsks() throws Exception {
    fake.next(Step.LEONARDO_GENERATIONS,
      Reply.json(429, new JsonObject().put("error", "rate limited")).withHeader("Retry-After", "1"));
    assertArrayEquals(fake.leonardoResult, await(provider().generate(request())).getBytes());
    List<Received> creates = fake.received(Step.LEONARDO_GENERATIONS);
    assertEquals(2, creates.size());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(creates.get(1).atNanos() - creates.get(0).atNanos());
    assertTrue(waitedMs >= 1000, "the retry came " + waitedMs + " ms after a Retry-After of 1 s");
  }

  @Test
  void rateLimitBeyondTheDeadlineFailsAsRateLimited() {
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(429).withHeader("Retry-After", "3600"));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.RATE_LIMITED, failure.kind());
    assertEquals(1, fake.received(Step.LEONARDO_INIT_IMAGE).size());
  }

  @Test
  void serverErrorsOnReadsAreRetriedButAJobIsNeverCreatedTwice() throws Exception {
    fake.next(Step.LEONARDO_STATUS, Reply.status(500), Reply.status(503));
    assertArrayEquals(fake.leonardoResult, await(provider().generate(request())).getBytes());
    assertEquals(4, fake.received(Step.LEONARDO_STATUS).size(), "500, 503, then PENDING and COMPLETE");

    fake.next(Step.LEONARDO_GENERATIONS, Reply.status(500));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, failure.kind());
    assertTrue(failure.getMessage().contains("500"), failure.getMessage());
    assertEquals(2, fake.received(Step.LEONARDO_GENERATIONS).size(), "one per generate call, no retry");
  }

  @Test
  void persistentServerErrorsGiveUpAfterTheConfiguredAttempts() {
    fake.always(Step.LEONARDO_STATUS, r -> Reply.status(502));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, failure.kind());
  }

  @Test
  void slowAnswerPastTheRequestTimeoutIsATimeout() {
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.hang());
    ProviderFailure failure = providerFailure(provider(new JsonObject().put("request_timeout_ms", 300)
      .put("max_attempts", 1)).generate(request()));
    assertEquals(ProviderFailure.Kind.TIMEOUT, failure.kind());
  }

  @Test
  void generationThatNeverCompletesHitsTheTotalDeadline() {
    fake.always(Step.LEONARDO_STATUS, r -> Reply.json(FakeImageApis.leonardoStatus("gen-1", "PENDING", null)));
    ProviderFailure failure = providerFailure(provider(new JsonObject().put("total_timeout_ms", 800)).generate(request()));
    assertEquals(ProviderFailure.Kind.TIMEOUT, failure.kind());
    assertTrue(fake.received(Step.LEONARDO_STATUS).size() > 2, "it kept polling until the deadline");
  }

  @Test
  void malformedAnswersAreBadResponses() {
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.text(200, "{not json"));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.json(new JsonObject().put("uploadInitImage", "nope")));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.next(Step.LEONARDO_GENERATIONS, Reply.json(new JsonObject().put("sdGenerationJob",
      new JsonObject().put("generationId", "../../admin"))));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind(),
      "an id that would change the request path is refused");
    fake.next(Step.LEONARDO_STATUS, Reply.json(FakeImageApis.leonardoStatus("gen-1", "COMPLETE", null)));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
  }

  @Test
  void failedGenerationIsReportedAsSuch() {
    fake.next(Step.LEONARDO_STATUS, Reply.json(FakeImageApis.leonardoStatus("gen-1", "FAILED", null)));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.OTHER, failure.kind());
    assertTrue(failure.getMessage().contains("failed"), failure.getMessage());
  }

  @Test
  void unreachableServiceIsAServerError() throws Exception {
    await(fake.stop());
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, failure.kind());
  }
}
