package dev.promptlab.generation;

import static dev.promptlab.generation.GenerationBus.countFiles;
import static dev.promptlab.generation.GenerationBus.failure;
import static dev.promptlab.generation.GenerationBus.request;
import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.StoreImageRequest;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class, WebClientWarmUp.class})
class GenerationVerticleTest {

  private static final PromptText PROMPT = new PromptText("photorealistic interior, natural light", "cartoon");

  private Vertx vertx;
  private Path dataDir;
  private final List<GenerationFinished> finished = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    TestDatabase.reset();
    vertx = TestVertx.create();
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "generation-");
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_GENERATION_FINISHED,
      message -> finished.add(GenerationFinished.fromJson(message.body())));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private JsonObject config() {
    return new JsonObject().put("db", TestDatabase.pgOptions()).put("data_dir", dataDir.toString());
  }

  private void deploy(JsonObject config) throws Exception {
    await(vertx.deployVerticle(new GenerationVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private StoredImage store(byte[] bytes) throws Exception {
    Message<JsonObject> reply = request(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new StoreImageRequest(Buffer.buffer(bytes), "render.png", "project-1", "visit-9").toJson());
    return StoredImage.fromJson(reply.body());
  }

  private static GenerateRequest generateRequest(long originalId, String api, double strength, long seed) {
    return new GenerateRequest(originalId, "structure", new GenerationParameters(api, strength, 8.0, 0.9),
      PROMPT, "v1.0.0", seed);
  }

  private GeneratedImage generate(GenerateRequest request) throws Exception {
    Message<JsonObject> reply = request(vertx, Addresses.GENERATION_GENERATE, request.toJson());
    return GeneratedImage.fromJson(reply.body());
  }

  private Message<Buffer> read(long imageId) throws Exception {
    return request(vertx, Addresses.GENERATION_IMAGE_READ, new JsonObject().put("image_id", imageId));
  }

  private long imageRows() {
    return TestDatabase.count("SELECT count(*) FROM images");
  }

  private long imageFiles() throws Exception {
    return countFiles(dataDir.resolve("images"));
  }

  @Test
  void storesGeneratesAndServesImages() throws Exception {
    deploy(config());
    byte[] upload = TestImages.png(TestImages.interior(320, 200, true));

    StoredImage original = store(upload);
    // URLs carry the unguessable public id (128 random bits, URL-safe base64), never the sequential one.
    assertTrue(original.publicId().matches("[A-Za-z0-9_-]{22}"), original.publicId());
    assertEquals("/images/" + original.publicId(), original.url());
    assertEquals("image/png", original.contentType());
    assertEquals(320, original.width());
    assertEquals(200, original.height());

    GeneratedImage generated = generate(generateRequest(original.imageId(), "leonardo", 0.3, 7));
    assertEquals("local", generated.provider());
    StoredImage enhanced = generated.image();
    assertNotEquals(original.imageId(), enhanced.imageId());
    assertTrue(enhanced.publicId().matches("[A-Za-z0-9_-]{22}"), enhanced.publicId());
    assertNotEquals(original.publicId(), enhanced.publicId());
    assertEquals("/images/" + enhanced.publicId(), enhanced.url());
    assertEquals("image/png", enhanced.contentType());
    assertEquals(320, enhanced.width());

    Message<Buffer> originalBytes = read(original.imageId());
    assertArrayEquals(upload, originalBytes.body().getBytes());
    assertEquals("image/png", originalBytes.headers().get("content-type"));
    Message<Buffer> enhancedBytes = read(enhanced.imageId());
    assertEquals("image/png", enhancedBytes.headers().get("content-type"));
    BufferedImage decoded = TestImages.decode(enhancedBytes.body().getBytes());
    assertEquals(320, decoded.getWidth());
    assertTrue(decoded.getColorModel().hasAlpha(), "alpha survives generation");

    assertEquals(2, imageRows());
    assertEquals(2, imageFiles());
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT kind, storage, parent_image_id, project_id, site_visit_id, metadata::text, "
           + "size_bytes, sha256 FROM images ORDER BY id")) {
      rs.next();
      assertEquals("original", rs.getString(1));
      assertEquals("local", rs.getString(2));
      assertEquals(0, rs.getLong(3));
      assertTrue(rs.wasNull());
      assertEquals("project-1", rs.getString(4));
      assertEquals("visit-9", rs.getString(5));
      assertEquals("render.png", new JsonObject(rs.getString(6)).getString("filename"));
      assertEquals(upload.length, rs.getLong(7));
      rs.next();
      assertEquals("enhanced", rs.getString(1));
      assertEquals(original.imageId(), rs.getLong(3));
      JsonObject metadata = new JsonObject(rs.getString(6));
      assertEquals("local", metadata.getString("provider"));
      assertEquals("v1.0.0", metadata.getString("prompt_version"));
      assertEquals(7L, metadata.getLong("seed"));
      assertEquals(0.3, metadata.getJsonObject("parameters").getDouble("strength"));
      assertEquals("leonardo", metadata.getJsonObject("parameters").getString("api"));
    }
    awaitEvents(1);
    GenerationFinished event = finished.get(0);
    assertEquals("local", event.provider());
    assertEquals("structure", event.mode());
    assertEquals(GenerationFinished.SUCCESS, event.outcome());
    assertNull(event.errorKind());
    assertTrue(event.durationMs() >= 0);
  }

  @Test
  void sameSeedRendersTheSameBytesAndParametersMatter() throws Exception {
    deploy(config());
    StoredImage original = store(TestImages.jpeg(TestImages.interior(300, 200, false)));
    long first = generate(generateRequest(original.imageId(), "stablediffusion", 0.3, 11)).image().imageId();
    long again = generate(generateRequest(original.imageId(), "stablediffusion", 0.3, 11)).image().imageId();
    long otherSeed = generate(generateRequest(original.imageId(), "stablediffusion", 0.3, 12)).image().imageId();
    long stronger = generate(generateRequest(original.imageId(), "stablediffusion", 0.5, 11)).image().imageId();
    assertArrayEquals(read(first).body().getBytes(), read(again).body().getBytes());
    assertEquals("image/jpeg", read(first).headers().get("content-type"));
    assertNotEquals(read(first).body(), read(otherSeed).body());
    assertNotEquals(read(first).body(), read(stronger).body());
    assertEquals(1, TestDatabase.count("SELECT count(DISTINCT sha256) FROM images WHERE id IN (" + first + "," + again + ")"));
  }

  @Test
  void rotatedJpegIsStoredWithItsDisplayedSizeAndRenderedUpright() throws Exception {
    deploy(config());
    byte[] sideways = TestImages.jpegWithOrientation(TestImages.quadrants(240, 160), 6, false);
    StoredImage original = store(sideways);
    assertEquals(160, original.width());
    assertEquals(240, original.height());
    assertArrayEquals(sideways, read(original.imageId()).body().getBytes(), "the original is kept byte for byte");
    StoredImage enhanced = generate(generateRequest(original.imageId(), "leonardo", 0.2, 1)).image();
    assertEquals("image/jpeg", enhanced.contentType());
    assertEquals(160, enhanced.width());
    assertEquals(240, enhanced.height());
    BufferedImage upright = TestImages.decode(read(enhanced.imageId()).body().getBytes());
    assertEquals(160, upright.getWidth());
    assertEquals(240, upright.getHeight());
  }

  @Test
  void rejectsBadUploadsAndStoresNothing() throws Exception {
    deploy(config().put("max_upload_bytes", 200_000).put("max_pixels", 1_000_000));
    byte[] png = TestImages.png(TestImages.interior(320, 200, false));
    assertRejected(Buffer.buffer("just some text".getBytes(StandardCharsets.UTF_8)), FailureCodes.UNSUPPORTED_MEDIA);
    assertRejected(Buffer.buffer(TestImages.truncated(png, 0.5)), FailureCodes.INVALID_REQUEST);
    assertRejected(Buffer.buffer(TestImages.pngHeaderDeclaring(100_000, 100_000)), FailureCodes.TOO_LARGE);
    assertRejected(Buffer.buffer(TestImages.png(TestImages.quadrants(1001, 1000))), FailureCodes.TOO_LARGE);
    assertRejected(Buffer.buffer(new byte[200_001]), FailureCodes.TOO_LARGE);
    assertRejected(Buffer.buffer(), FailureCodes.INVALID_REQUEST);

    ReplyException missingData = failure(vertx, Addresses.GENERATION_STORE_ORIGINAL, new JsonObject().put("filename", "x.png"));
    assertEquals(FailureCodes.INVALID_REQUEST, missingData.failureCode());
    ReplyException notJson = failure(vertx, Addresses.GENERATION_STORE_ORIGINAL, "not an object");
    assertEquals(FailureCodes.INVALID_REQUEST, notJson.failureCode());
    ReplyException longProject = failure(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new StoreImageRequest(Buffer.buffer(png), "a.png", "p".repeat(201), null).toJson());
    assertEquals(FailureCodes.INVALID_REQUEST, longProject.failureCode());
    ReplyException badBase64 = failure(vertx, Addresses.GENERATION_STORE_ORIGINAL, new JsonObject().put("data", "%%%"));
    assertEquals(FailureCodes.INVALID_REQUEST, badBase64.failureCode());
    assertEquals(0, imageRows());
    assertEquals(0, imageFiles());

    // Base64 text is accepted as well as a buffer.
    Message<JsonObject> fromText = request(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new JsonObject().put("data", java.util.Base64.getEncoder().encodeToString(png)));
    assertEquals(320, StoredImage.fromJson(fromText.body()).width());
  }

  private void assertRejected(Buffer data, int expectedCode) throws Exception {
    ReplyException e = failure(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new StoreImageRequest(data, "upload.png", null, null).toJson());
    assertEquals(expectedCode, e.failureCode(), e.getMessage());
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    assertEquals(0, imageRows(), "no row after " + e.getMessage());
    assertEquals(0, imageFiles(), "no file after " + e.getMessage());
  }

  @Test
  void generateRefusesBadRequestsAndUnknownOriginals() throws Exception {
    deploy(config());
    StoredImage original = store(TestImages.png(TestImages.interior(120, 80, false)));
    JsonObject valid = generateRequest(original.imageId(), "leonardo", 0.3, 1).toJson();

    assertEquals(FailureCodes.NOT_FOUND, failure(vertx, Addresses.GENERATION_GENERATE,
      generateRequest(999_999, "leonardo", 0.3, 1).toJson()).failureCode());
    awaitEvents(1);
    assertEquals(GenerationFinished.FAILURE, finished.get(0).outcome());
    assertEquals("other", finished.get(0).errorKind());

    StoredImage enhanced = generate(generateRequest(original.imageId(), "leonardo", 0.3, 1)).image();
    assertEquals(FailureCodes.NOT_FOUND, failure(vertx, Addresses.GENERATION_GENERATE,
      generateRequest(enhanced.imageId(), "leonardo", 0.3, 1).toJson()).failureCode(),
      "an enhanced image is not an original");

    List<JsonObject> invalid = new ArrayList<>();
    invalid.add(valid.copy().put("parameters", valid.getJsonObject("parameters").copy().put("strength", 0.9)));
    invalid.add(valid.copy().put("parameters", valid.getJsonObject("parameters").copy().put("api", "dalle")));
    invalid.add(valid.copy().put("parameters", valid.getJsonObject("parameters").copy().put("guidance_scale", "high")));
    invalid.add(valid.copy().put("mode", "cubism"));
    invalid.add(valid.copy().put("original_image_id", "one"));
    invalid.add(valid.copy().put("seed", "lucky"));
    invalid.add(valid.copy().putNull("prompt"));
    invalid.add(valid.copy().put("prompt", new JsonObject().put("prompt", 5)));
    for (JsonObject body : invalid) {
      ReplyException e = failure(vertx, Addresses.GENERATION_GENERATE, body);
      assertEquals(FailureCodes.INVALID_REQUEST, e.failureCode(), body.encode() + " → " + e.getMessage());
    }
    assertEquals(FailureCodes.INVALID_REQUEST, failure(vertx, Addresses.GENERATION_GENERATE, "text").failureCode());
    assertEquals(2, imageRows());
    assertEquals(2, imageFiles());
  }

  @Test
  void readRefusesUnknownIdsAndReportsMissingFiles() throws Exception {
    deploy(config());
    assertEquals(FailureCodes.NOT_FOUND, failure(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", 424242)).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", "7")).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", -1)).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject()).failureCode());

    StoredImage original = store(TestImages.png(TestImages.interior(120, 80, false)));
    try (var files = Files.walk(dataDir.resolve("images"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.delete(file);
      }
    }
    ReplyException missing = failure(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", original.imageId()));
    assertEquals(FailureCodes.STORAGE_FAILED, missing.failureCode());
    assertEquals(FailureCodes.STORAGE_FAILED, failure(vertx, Addresses.GENERATION_GENERATE,
      generateRequest(original.imageId(), "leonardo", 0.3, 1).toJson()).failureCode());
  }

  @Test
  void databaseFailureLeavesNoOrphanFiles() throws Exception {
    deploy(config());
    StoredImage original = store(TestImages.png(TestImages.interior(120, 80, false)));
    TestDatabase.execute("ALTER TABLE images ADD CONSTRAINT refuse_new_rows_in_test CHECK (false) NOT VALID");
    try {
      ReplyException storeFailed = failure(vertx, Addresses.GENERATION_STORE_ORIGINAL,
        new StoreImageRequest(Buffer.buffer(TestImages.png(TestImages.quadrants(50, 50))), null, null, null).toJson());
      assertEquals(FailureCodes.STORAGE_FAILED, storeFailed.failureCode());
      ReplyException generateFailed = failure(vertx, Addresses.GENERATION_GENERATE,
        generateRequest(original.imageId(), "leonardo", 0.3, 1).toJson());
      assertEquals(FailureCodes.STORAGE_FAILED, generateFailed.failureCode());
    } finally {
      TestDatabase.execute("ALTER TABLE images DROP CONSTRAINT refuse_new_rows_in_test");
    }
    assertEquals(1, imageRows());
    assertEquals(1, imageFiles(), "only the original's file remains");
    assertEquals(0, countFiles(dataDir.resolve("images/enhanced")));
    awaitEvents(1);
    assertEquals(GenerationFinished.FAILURE, finished.get(0).outcome());
  }

  @Test
  void answersPingAndServesManyRendersWithoutBlockingTheLoop(VertxTestContext testContext) throws Exception {
    deploy(config().put("render_workers", 2));
    StoredImage original = store(TestImages.jpeg(TestImages.interior(900, 600, false)));
    List<Future<Message<Object>>> renders = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      renders.add(vertx.eventBus().request(Addresses.GENERATION_GENERATE,
        generateRequest(original.imageId(), i % 2 == 0 ? "leonardo" : "stablediffusion", 0.1 + 0.05 * i, i).toJson()));
    }
    vertx.eventBus().<JsonObject>request(Addresses.ping("generation"), new JsonObject())
      .onComplete(testContext.succeeding(pong -> testContext.verify(() -> assertTrue(pong.body().getBoolean("ok")))))
      .compose(pong -> Future.all(renders))
      .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
        assertEquals(6, all.size());
        testContext.completeNow();
      })));
    assertTrue(testContext.awaitCompletion(120, TimeUnit.SECONDS));
    assertEquals(7, imageRows());
  }

  @Test
  void publicBaseUrlPrefixesImageUrls() throws Exception {
    deploy(config().put("public_base_url", "https://cdn.example.test/lab/"));
    StoredImage original = store(TestImages.png(TestImages.quadrants(20, 20)));
    assertEquals("https://cdn.example.test/lab/images/" + original.publicId(), original.url());
  }

  @Test
  void refusesToDeployWithBadConfiguration() {
    Exception unknownProvider = assertThrows(Exception.class,
      () -> deploy(config().put("providers", new JsonObject().put("leonardo", "dalle"))));
    assertTrue(unknownProvider.getMessage().contains("generation.providers.leonardo"), unknownProvider.getMessage());
    Exception unknownApi = assertThrows(Exception.class,
      () -> deploy(config().put("providers", new JsonObject().put("midjourney", "local"))));
    assertTrue(unknownApi.getMessage().contains("midjourney"), unknownApi.getMessage());
    Exception badLimit = assertThrows(Exception.class, () -> deploy(config().put("max_pixels", -5)));
    assertTrue(badLimit.getMessage().contains("max_pixels"), badLimit.getMessage());
    Exception noConnections = assertThrows(Exception.class, () -> deploy(config().put("provider_connections", 0)));
    assertTrue(noConnections.getMessage().contains("generation.provider_connections"), noConnections.getMessage());
    Exception badStorage = assertThrows(Exception.class,
      () -> deploy(config().put("storage", new JsonObject().put("type", "floppy"))));
    assertTrue(badStorage.getMessage().contains("storage.type"), badStorage.getMessage());
    Exception wrongType = assertThrows(Exception.class, () -> deploy(config().put("providers", "local")));
    assertTrue(wrongType.getMessage().contains("wrong type"), wrongType.getMessage());
    assertEquals(0, vertx.deploymentIDs().size());
  }

  private void awaitEvents(int count) {
    Eventually.until(count + " generation events, got " + finished, () -> finished.size() >= count);
  }
}
