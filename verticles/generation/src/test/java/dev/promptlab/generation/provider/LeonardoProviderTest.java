package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.FakeApis.LEONARDO_ROOT;
import static dev.promptlab.generation.provider.ProviderTestSupport.LEONARDO_KEY;
import static dev.promptlab.generation.provider.ProviderTestSupport.providerFailure;
import static dev.promptlab.generation.provider.ProviderTestSupport.request;
import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.generation.provider.ScriptedHttpServer.Recorded;
import dev.promptlab.generation.provider.ScriptedHttpServer.Reply;
import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class LeonardoProviderTest {

  private ProviderFixture fixture;
  private Vertx vertx;
  private ScriptedHttpServer fake;

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start(FakeApis::leonardo, "leonardo-test");
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
    fake.once("GET", LEONARDO_ROOT + "/generations/", Reply.json(FakeApis.leonardoStatus("PENDING", null)),
      Reply.json(new JsonObject().putNull("generations_by_pk")));
    Buffer image = await(provider().generate(request()));
    assertArrayEquals(FakeApis.RESULT_JPEG, image.getBytes());

    Recorded init = fake.requests("POST", LEONARDO_ROOT + "/init-image").get(0);
    assertEquals("Bearer " + LEONARDO_KEY, init.headers().get("Authorization"));
    assertEquals("jpg", init.json().getString("extension"));

    Recorded upload = fake.requests("POST", "/presigned-upload").get(0);
    assertNull(upload.headers().get("Authorization"), "no Leonardo key goes to the storage host");
    assertNotNull(upload.headers().get("Content-Length"), "S3's presigned POST needs the length");
    assertNull(upload.headers().get("Transfer-Encoding"), "S3's presigned POST refuses a chunked body");
    assertEquals("users/u1/initImages/init-7f3a.jpg", upload.form().get("key"));
    assertEquals("abc123", upload.form().get("X-Amz-Signature"));
    BufferedImage sent = TestImages.decode(upload.files().get("file").getBytes());
    assertEquals(200, sent.getWidth(), "the sideways original is sent upright");
    assertEquals(296, sent.getHeight(), "sides are multiples of 8");

    JsonObject generation = fake.requests("POST", LEONARDO_ROOT + "/generations").get(0).json();
    assertEquals("photorealistic interior, natural light", generation.getString("prompt"));
    assertEquals("cartoon, blurry", generation.getString("negative_prompt"));
    assertEquals("model-abc", generation.getString("modelId"));
    assertEquals("init-7f3a", generation.getString("init_image_id"));
    assertEquals(0.28, generation.getDouble("init_strength"));
    assertEquals(8, generation.getInteger("guidance_scale"), "Leonardo takes whole guidance values");
    assertEquals(200, generation.getInteger("width"));
    assertEquals(296, generation.getInteger("height"));
    assertEquals(1, generation.getInteger("num_images"));
    assertEquals(1234567890123L & 0x7FFFFFFFL, generation.getLong("seed"));
    JsonObject controlnet = generation.getJsonArray("controlnets").getJsonObject(0);
    assertEquals("init-7f3a", controlnet.getString("initImageId"));
    assertEquals("UPLOADED", controlnet.getString("initImageType"));
    assertEquals(19, controlnet.getInteger("preprocessorId"));
    assertEquals(0.89, controlnet.getDouble("weight"));

    List<Recorded> polls = fake.requests("GET", LEONARDO_ROOT + "/generations/");
    assertEquals(3, polls.size());
    assertEquals(LEONARDO_ROOT + "/generations/gen-5b1c", polls.get(0).path());
    assertNull(fake.requests("GET", "/cdn/").get(0).headers().get("Authorization"), "no key goes to the file host");
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
    JsonObject sent = fake.requests("POST", LEONARDO_ROOT + "/generations").get(0).json();
    assertEquals(Integer.valueOf(7), sent.getValue("guidance_scale"), "a JSON integer, as Leonardo requires");
    assertEquals(applied.guidanceScale(), sent.getInteger("guidance_scale").doubleValue());
    assertEquals(applied.strength(), sent.getDouble("init_strength"));
    assertEquals(applied.controlWeight(), sent.getJsonArray("controlnets").getJsonObject(0).getDouble("weight"));
  }

  @Test
  void anUploadTheStorageRefusesFailsWithoutStartingAJob() {
    fake.once("POST", "/presigned-upload", new Reply(411, Map.of("Content-Type", "application/xml"),
      Buffer.buffer(FakeApis.S3_MISSING_CONTENT_LENGTH), 0, false));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.OTHER, failure.kind());
    assertTrue(failure.getMessage().contains("init-image upload answered HTTP 411"), failure.getMessage());
    assertEquals(1, fake.requests("POST", "/presigned-upload").size(), "a refused upload is not repeated");
    assertEquals(0, fake.requests("POST", LEONARDO_ROOT + "/generations").size(), "no paid job without the image");
  }

  @Test
  void refusedKeyIsAnAuthFailureWithoutRetries() {
    fake.once("POST", LEONARDO_ROOT + "/init-image",
      Reply.json(401, new JsonObject().put("error", "Invalid API key " + LEONARDO_KEY)));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.AUTH, failure.kind());
    assertFalse(failure.getMessage().contains(LEONARDO_KEY), "the answer's body never reaches the message");
    assertEquals(1, fake.requests("POST", LEONARDO_ROOT + "/init-image").size());
  }

  @Test
  void rateLimitWaitsAsLongAsRetryAfterAsks() throws Exception {
    fake.once("POST", LEONARDO_ROOT + "/generations",
      Reply.json(429, new JsonObject().put("error", "rate limited")).withHeader("Retry-After", "1"));
    assertArrayEquals(FakeApis.RESULT_JPEG, await(provider().generate(request())).getBytes());
    List<Recorded> creates = fake.requests("POST", LEONARDO_ROOT + "/generations");
    assertEquals(2, creates.size());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(creates.get(1).atNanos() - creates.get(0).atNanos());
    assertTrue(waitedMs >= 1000, "the retry came " + waitedMs + " ms after a Retry-After of 1 s");
  }

  @Test
  void rateLimitBeyondTheDeadlineFailsAsRateLimited() {
    fake.once("POST", LEONARDO_ROOT + "/init-image", Reply.status(429).withHeader("Retry-After", "3600"));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.RATE_LIMITED, failure.kind());
    assertEquals(1, fake.requests("POST", LEONARDO_ROOT + "/init-image").size());
  }

  @Test
  void serverErrorsOnReadsAreRetriedButAJobIsNeverCreatedTwice() throws Exception {
    fake.once("GET", LEONARDO_ROOT + "/generations/", Reply.status(500), Reply.status(503));
    assertArrayEquals(FakeApis.RESULT_JPEG, await(provider().generate(request())).getBytes());
    assertEquals(3, fake.requests("GET", LEONARDO_ROOT + "/generations/").size());

    fake.once("POST", LEONARDO_ROOT + "/generations", Reply.status(500));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, failure.kind());
    assertTrue(failure.getMessage().contains("500"), failure.getMessage());
    assertEquals(2, fake.requests("POST", LEONARDO_ROOT + "/generations").size(), "one per generate call, no retry");
  }

  @Test
  void persistentServerErrorsGiveUpAfterTheConfiguredAttempts() {
    fake.on("GET", LEONARDO_ROOT + "/generations/", r -> Reply.status(502));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, failure.kind());
  }

  @Test
  void slowAnswerPastTheRequestTimeoutIsATimeout() {
    fake.once("POST", LEONARDO_ROOT + "/init-image", Reply.hang());
    ProviderFailure failure = providerFailure(provider(new JsonObject().put("request_timeout_ms", 300)
      .put("max_attempts", 1)).generate(request()));
    assertEquals(ProviderFailure.Kind.TIMEOUT, failure.kind());
  }

  @Test
  void generationThatNeverCompletesHitsTheTotalDeadline() {
    fake.on("GET", LEONARDO_ROOT + "/generations/", r -> Reply.json(FakeApis.leonardoStatus("PENDING", null)));
    ProviderFailure failure = providerFailure(provider(new JsonObject().put("total_timeout_ms", 800)).generate(request()));
    assertEquals(ProviderFailure.Kind.TIMEOUT, failure.kind());
    assertTrue(fake.requests("GET", LEONARDO_ROOT + "/generations/").size() > 2, "it kept polling until the deadline");
  }

  @Test
  void malformedAnswersAreBadResponses() {
    fake.once("POST", LEONARDO_ROOT + "/init-image", Reply.text(200, "{not json"));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.once("POST", LEONARDO_ROOT + "/init-image", Reply.json(new JsonObject().put("uploadInitImage", "nope")));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
    fake.once("POST", LEONARDO_ROOT + "/generations", Reply.json(new JsonObject().put("sdGenerationJob",
      new JsonObject().put("generationId", "../../admin"))));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind(),
      "an id that would change the request path is refused");
    fake.once("GET", LEONARDO_ROOT + "/generations/", Reply.json(FakeApis.leonardoStatus("COMPLETE", null)));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider().generate(request())).kind());
  }

  @Test
  void failedGenerationIsReportedAsSuch() {
    fake.once("GET", LEONARDO_ROOT + "/generations/", Reply.json(FakeApis.leonardoStatus("FAILED", null)));
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.OTHER, failure.kind());
    assertTrue(failure.getMessage().contains("failed"), failure.getMessage());
  }

  @Test
  void unreachableServiceIsAServerError() throws Exception {
    await(fake.close());
    ProviderFailure failure = providerFailure(provider().generate(request()));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, failure.kind());
  }
}
