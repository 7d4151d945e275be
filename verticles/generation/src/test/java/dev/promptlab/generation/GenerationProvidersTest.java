package dev.promptlab.generation;

import static dev.promptlab.generation.GenerationBus.countFiles;
import static dev.promptlab.generation.GenerationBus.failure;
import static dev.promptlab.generation.GenerationBus.request;
import static dev.promptlab.testkit.Await.await;
import static dev.promptlab.testkit.FakeImageApis.LEONARDO_ROOT;
import static dev.promptlab.testkit.FakeImageApis.REPLICATE_ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.StoreImageRequest;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The verticle with the real Leonardo and Replicate providers talking to local fakes of their APIs. */
@ExtendWith({VertxExtension.class, BlockedThreadGuard.class, WebClientWarmUp.class})
class GenerationProvidersTest {

  private static final String LEONARDO_KEY = "leo-live-looking-key-5f2c81d9e0a7";
  private static final String REPLICATE_TOKEN = "r8_live_looking_token_c4a9e27b10f3";

  private Vertx vertx;
  private Path dataDir;
  private FakeImageApis fake;
  private final List<GenerationFinished> finished = new CopyOnWriteArrayList<>();
  private final List<ProviderCircuitChanged> circuits = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    TestDatabase.reset();
    vertx = TestVertx.create();
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "providers-");
    fake = await(FakeImageApis.start(vertx, LEONARDO_KEY, REPLICATE_TOKEN));
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_GENERATION_FINISHED,
      message -> finished.add(GenerationFinished.fromJson(message.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_PROVIDER_CIRCUIT,
      message -> circuits.add(ProviderCircuitChanged.fromJson(message.body())));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static JsonObject resilience() {
    return new JsonObject().put("request_timeout_ms", 1500).put("total_timeout_ms", 5000).put("poll_interval_ms", 50)
      .put("max_attempts", 1).put("retry_base_delay_ms", 20).put("retry_max_delay_ms", 200)
      .put("breaker_max_failures", 3).put("breaker_reset_ms", 60_000);
  }

  private JsonObject config() {
    return new JsonObject()
      .put("db", TestDatabase.pgOptions())
      .put("data_dir", dataDir.toString())
      .put("providers", new JsonObject().put("leonardo", "leonardo").put("stablediffusion", "replicate"))
      .put("leonardo", resilience().put("base_url", fake.url(LEONARDO_ROOT)).put("api_key", LEONARDO_KEY))
      .put("replicate", resilience().put("base_url", fake.url(REPLICATE_ROOT)).put("api_token", REPLICATE_TOKEN)
        .put("model", "stability-ai/sdxl").put("wait_seconds", 2));
  }

  private void deploy(JsonObject config) throws Exception {
    await(vertx.deployVerticle(new GenerationVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private long storeOriginal() throws Exception {
    Message<JsonObject> reply = request(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new StoreImageRequest(Buffer.buffer(TestImages.jpeg(TestImages.interior(320, 240, false))), "r.jpg", null, null)
        .toJson());
    return StoredImage.fromJson(reply.body()).imageId();
  }

  private static JsonObject generate(long originalId, String api) {
    return new GenerateRequest(originalId, "surfaces", new GenerationParameters(api, 0.3, 7.5, 0.9),
      new PromptText("photorealistic interior", "cartoon"), "v1.0.0", 99).toJson();
  }

  private GeneratedImage generated(long originalId, String api) throws Exception {
    Message<JsonObject> reply = request(vertx, Addresses.GENERATION_GENERATE, generate(originalId, api));
    return GeneratedImage.fromJson(reply.body());
  }

  private long rows() {
    return TestDatabase.count("SELECT count(*) FROM images");
  }

  private long files() throws Exception {
    return countFiles(dataDir.resolve("images"));
  }

  private GenerationFinished lastEvent(int expectedCount) {
    Eventually.until(expectedCount + " generation events", () -> finished.size() >= expectedCount);
    assertEquals(expectedCount, finished.size(), "generation events: " + finished);
    return finished.get(expectedCount - 1);
  }

  private List<ProviderCircuitChanged> circuitEvents(int expectedCount) {
    Eventually.until(expectedCount + " circuit events", () -> circuits.size() >= expectedCount);
    assertEquals(expectedCount, circuits.size(), "circuit events: " + circuits);
    return List.copyOf(circuits);
  }

  @Test
  void rendersOnReplicateWaitForAFreeProviderConnection() throws Exception {
    // Replicate's synchronous mode holds the create's connection until the image is done: with one connection the
    // second create can only leave once the first render is over.
    fake.renderTime(400);
    deploy(config().put("provider_connections", 1));
    long original = storeOriginal();
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(60_000);
    await(Future.all(vertx.eventBus().request(Addresses.GENERATION_GENERATE, generate(original, "stablediffusion"),
      patient), vertx.eventBus().request(Addresses.GENERATION_GENERATE, generate(original, "stablediffusion"), patient)));
    List<FakeImageApis.Received> creates = fake.received(Step.REPLICATE_PREDICTIONS);
    assertEquals(2, creates.size());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(creates.get(1).atNanos() - creates.get(0).atNanos()) >= 400,
      "the second render started after the first was done");
  }

  @Test
  void eachApiRendersThroughItsProviderAndNamesIt() throws Exception {
    deploy(config());
    long original = storeOriginal();
    GeneratedImage leonardo = generated(original, "leonardo");
    GeneratedImage replicate = generated(original, "stablediffusion");
    assertEquals("leonardo", leonardo.provider());
    assertEquals("replicate", replicate.provider());
    assertEquals("image/jpeg", leonardo.image().contentType());
    assertEquals(256, leonardo.image().width());
    Message<Buffer> bytes = request(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", replicate.image().imageId()));
    assertArrayEquals(fake.replicateResult, bytes.body().getBytes());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM images WHERE metadata->>'provider' = 'leonardo'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM images WHERE metadata->>'provider' = 'replicate'"));
    assertEquals(3, rows());
    assertEquals(3, files());
    assertEquals(1, fake.received(Step.LEONARDO_GENERATIONS).size());
    assertEquals(1, fake.received(Step.REPLICATE_PREDICTIONS).size());

    // Leonardo got a whole guidance scale (7.5 → 8): the reply and the stored metadata say so, the request is kept.
    JsonObject sent = fake.received(Step.LEONARDO_GENERATIONS).get(0).json();
    assertEquals(8, sent.getInteger("guidance_scale"));
    assertEquals(new GenerationParameters("leonardo", 0.3, 8, 0.9), leonardo.parameters());
    assertEquals(new GenerationParameters("stablediffusion", 0.3, 7.5, 0.9), replicate.parameters(),
      "Replicate takes the value as it is");
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM images WHERE id = " + leonardo.image().imageId()
      + " AND (metadata->'parameters'->>'guidance_scale')::float8 = 8"
      + " AND (metadata->'requested_parameters'->>'guidance_scale')::float8 = 7.5"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM images WHERE id = " + replicate.image().imageId()
      + " AND (metadata->'parameters'->>'guidance_scale')::float8 = 7.5 AND metadata->'requested_parameters' IS NULL"));
    lastEvent(2);
    assertTrue(finished.stream().allMatch(e -> e.outcome().equals(GenerationFinished.SUCCESS)));
  }

  @Test
  void aFailingProviderFailsOnlyItsOptionAndStoresNothingForIt() throws Exception {
    deploy(config());
    long original = storeOriginal();
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(500));
    Future<Message<Object>> a = vertx.eventBus().request(Addresses.GENERATION_GENERATE, generate(original, "leonardo"),
      new DeliveryOptions().setSendTimeout(30_000));
    Future<Message<Object>> b = vertx.eventBus().request(Addresses.GENERATION_GENERATE,
      generate(original, "stablediffusion"), new DeliveryOptions().setSendTimeout(30_000));
    await(Future.join(a, b).otherwiseEmpty());
    assertTrue(a.failed());
    ReplyException failed = (ReplyException) a.cause();
    assertEquals(FailureCodes.PROVIDER_FAILED, failed.failureCode());
    assertTrue(failed.getMessage().contains("leonardo"), failed.getMessage());
    assertTrue(b.succeeded(), "the other option still arrives");
    assertEquals(2, rows());
    assertEquals(2, files());
    lastEvent(2);
    GenerationFinished failure = finished.stream().filter(e -> e.outcome().equals(GenerationFinished.FAILURE))
      .findFirst().orElseThrow();
    assertEquals("leonardo", failure.provider());
    assertEquals("server_error", failure.errorKind());
    assertEquals("surfaces", failure.mode());
  }

  @Test
  void everyKindOfProviderFailureIsReportedWithItsKind() throws Exception {
    deploy(config());
    long original = storeOriginal();
    List<String> kinds = new ArrayList<>();
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.status(401));
    kinds.add(expectProviderFailure(original, "leonardo", FailureCodes.PROVIDER_FAILED));
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.status(429).withHeader("Retry-After", "600"));
    kinds.add(expectProviderFailure(original, "stablediffusion", FailureCodes.PROVIDER_FAILED));
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.hang());
    kinds.add(expectProviderFailure(original, "leonardo", FailureCodes.PROVIDER_FAILED));
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.text(201, "{\"id\": "));
    kinds.add(expectProviderFailure(original, "stablediffusion", FailureCodes.PROVIDER_FAILED));
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201,
      fake.prediction("pred9x", "failed", null, null).put("error", "NSFW content detected")));
    kinds.add(expectProviderFailure(original, "stablediffusion", FailureCodes.PROVIDER_FAILED));
    fake.next(Step.LEONARDO_CDN, Reply.text(200, "<html>not an image</html>"));
    kinds.add(expectProviderFailure(original, "leonardo", FailureCodes.PROVIDER_FAILED));
    assertEquals(List.of("auth", "rate_limited", "timeout", "bad_response", "other", "bad_response"), kinds);
    assertEquals(1, rows(), "no row for any failed attempt");
    assertEquals(1, files(), "no file for any failed attempt");
  }

  private String expectProviderFailure(long original, String api, int code) throws Exception {
    int before = finished.size();
    ReplyException e = failure(vertx, Addresses.GENERATION_GENERATE, generate(original, api));
    assertEquals(code, e.failureCode(), e.getMessage());
    GenerationFinished event = lastEvent(before + 1);
    assertEquals(GenerationFinished.FAILURE, event.outcome());
    return event.errorKind();
  }

  @Test
  void anOpenCircuitAnswersAtOnceWithProviderUnavailable() throws Exception {
    deploy(config());
    long original = storeOriginal();
    fake.always(Step.LEONARDO_INIT_IMAGE, r -> Reply.status(503));
    for (int i = 0; i < 3; i++) {
      assertEquals(FailureCodes.PROVIDER_FAILED,
        failure(vertx, Addresses.GENERATION_GENERATE, generate(original, "leonardo")).failureCode());
    }
    ReplyException open = failure(vertx, Addresses.GENERATION_GENERATE, generate(original, "leonardo"));
    assertEquals(FailureCodes.PROVIDER_UNAVAILABLE, open.failureCode());
    assertEquals("circuit_open", lastEvent(4).errorKind());
    assertEquals(3, fake.received(Step.LEONARDO_INIT_IMAGE).size());
    assertEquals("replicate", generated(original, "stablediffusion").provider(), "the other provider is unaffected");
    List<ProviderCircuitChanged> events = circuitEvents(3);
    assertEquals(Set.of(new ProviderCircuitChanged("leonardo", ProviderCircuitChanged.CLOSED),
      new ProviderCircuitChanged("replicate", ProviderCircuitChanged.CLOSED)), Set.copyOf(events.subList(0, 2)),
      "each external provider's circuit is reported closed at start");
    assertEquals(new ProviderCircuitChanged("leonardo", ProviderCircuitChanged.OPEN), events.get(2));
  }

  @Test
  void keysNeverAppearInLogsOrErrors() throws Exception {
    List<String> messages = new ArrayList<>();
    try (LogCapture logs = LogCapture.at(Level.DEBUG)) {
      deploy(config());
      long original = storeOriginal();
      request(vertx, Addresses.GENERATION_GENERATE, generate(original, "leonardo"));
      request(vertx, Addresses.GENERATION_GENERATE, generate(original, "stablediffusion"));
      fake.next(Step.LEONARDO_INIT_IMAGE,
        Reply.json(401, new JsonObject().put("error", "invalid key " + LEONARDO_KEY)));
      messages.add(failure(vertx, Addresses.GENERATION_GENERATE, generate(original, "leonardo")).getMessage());
      fake.next(Step.REPLICATE_PREDICTIONS,
        Reply.json(403, new JsonObject().put("detail", "token " + REPLICATE_TOKEN + " lacks permission")));
      messages.add(failure(vertx, Addresses.GENERATION_GENERATE, generate(original, "stablediffusion")).getMessage());
      fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201, fake.prediction("pred9x", "failed", null, null)
        .put("error", "model crashed")));
      messages.add(failure(vertx, Addresses.GENERATION_GENERATE, generate(original, "stablediffusion")).getMessage());
      await(vertx.undeploy(vertx.deploymentIDs().iterator().next()));

      List<String> lines = logs.lines();
      assertFalse(lines.isEmpty(), "the run logged something");
      for (String line : lines) {
        assertFalse(line.contains(LEONARDO_KEY), "a log line shows the Leonardo key: " + line);
        assertFalse(line.contains(REPLICATE_TOKEN), "a log line shows the Replicate token: " + line);
      }
    }
    for (String message : messages) {
      assertFalse(message.contains(LEONARDO_KEY) || message.contains(REPLICATE_TOKEN), message);
    }
    assertEquals("Bearer " + LEONARDO_KEY,
      fake.received(Step.LEONARDO_INIT_IMAGE).get(0).headers().get("Authorization"), "the key was in use");
    assertEquals("Bearer " + REPLICATE_TOKEN,
      fake.received(Step.REPLICATE_PREDICTIONS).get(0).headers().get("Authorization"));
  }

  @Test
  void aProviderWithoutItsKeyRefusesToDeploy() {
    JsonObject config = config();
    config.getJsonObject("leonardo").remove("api_key");
    Exception e = assertThrows(Exception.class, () -> deploy(config));
    assertTrue(e.getMessage().contains("LEONARDO_API_KEY"), e.getMessage());
  }
}
