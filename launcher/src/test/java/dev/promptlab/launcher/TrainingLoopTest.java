package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole training loop over HTTP against the real server, database, generation and optimizer. */
@ExtendWith(BlockedThreadGuard.class)
class TrainingLoopTest {

  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    var db = TestDatabase.settings();
    server = RunningServer.start(db.url(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static HttpResponse<Buffer> upload(RunningServer server, byte[] bytes, String filename, String contentType, String mode)
    throws Exception {
    MultipartForm form = MultipartForm.create().attribute("mode", mode)
      .binaryFileUpload("image", filename, Buffer.buffer(bytes), contentType);
    return await(server.post("/api/enhance/train").sendMultipartForm(form));
  }

  static HttpResponse<Buffer> rate(RunningServer server, JsonObject body) throws Exception {
    return await(server.post("/api/train/rate").sendJsonObject(body));
  }

  static JsonObject ratingBody(JsonObject experiment, int ratingA, int ratingB) {
    JsonArray options = experiment.getJsonArray("options");
    return new JsonObject().put("experiment_id", experiment.getString("experiment_id"))
      .put("rated_by", "ana@example.com")
      .put("ratings", new JsonArray()
        .add(new JsonObject().put("option", "A").put("image_id", options.getJsonObject(0).getLong("image_id"))
          .put("rating", ratingA).put("comments", "Buena profundidad, colores algo apagados"))
        .add(new JsonObject().put("option", "B").put("image_id", options.getJsonObject(1).getLong("image_id"))
          .put("rating", ratingB).put("comments", "looks flat, lighting unrealistic")));
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return await(server.get(path).send());
  }

  @Test
  void aTrainerUploadsRatesAndSeesTheStatusChange() throws Exception {
    JsonObject before = get("/api/train/status?mode=structure").bodyAsJsonObject();
    int samplesBefore = before.getJsonObject("phase_1").getInteger("samples_collected");

    HttpResponse<Buffer> uploaded = upload(server, SampleImages.pngWithAlpha(640, 480), "room.png", "image/png", "structure");
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject experiment = uploaded.bodyAsJsonObject();
    assertTrue(experiment.getString("experiment_id").startsWith("exp_"));
    JsonArray options = experiment.getJsonArray("options");
    assertEquals(2, options.size());
    JsonObject a = options.getJsonObject(0);
    JsonObject b = options.getJsonObject(1);
    assertEquals("A", a.getString("option"));
    assertEquals("B", b.getString("option"));
    assertNotEquals(a.getString("url"), b.getString("url"));
    assertNotEquals(a.getJsonObject("parameters"), b.getJsonObject("parameters"), "suggestions of one experiment differ");
    assertNotNull(a.getString("prompt_version"));
    assertTrue(a.getJsonObject("parameters").containsKey("guidance_scale"));

    HttpResponse<Buffer> variantA = get(a.getString("url"));
    HttpResponse<Buffer> variantB = get(b.getString("url"));
    HttpResponse<Buffer> original = get(experiment.getString("original_url"));
    assertEquals(200, variantA.statusCode());
    assertEquals("image/png", variantA.getHeader("content-type"));
    assertEquals(200, original.statusCode());
    assertNotEquals(variantA.body(), variantB.body(), "the two variants are different images");
    assertNotEquals(original.body(), variantA.body(), "the variant is not the original");

    HttpResponse<Buffer> rated = rate(server, ratingBody(experiment, 4, 2));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    JsonObject result = rated.bodyAsJsonObject();
    assertEquals(true, result.getBoolean("success"));
    assertEquals(true, result.getBoolean("ml_updated"));
    assertEquals(samplesBefore + 2, result.getInteger("samples_collected"));
    assertEquals(false, result.getBoolean("phase_1_complete"));

    JsonObject after = get("/api/train/status?mode=structure").bodyAsJsonObject();
    assertEquals(samplesBefore + 2, after.getJsonObject("phase_1").getInteger("samples_collected"));
    assertNotNull(after.getJsonObject("phase_1").getValue("best_rating"));
    assertNotNull(after.getJsonObject("prompt_evolution").getString("current_version"));

    JsonObject history = get("/api/train/history?limit=10").bodyAsJsonObject();
    JsonObject listed = history.getJsonArray("experiments").stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("experiment_id").equals(experiment.getString("experiment_id"))).findFirst().orElseThrow();
    assertEquals(4, listed.getJsonArray("options").getJsonObject(0).getNumber("rating").intValue());
    assertTrue(history.getJsonObject("analytics").getInteger("total_samples") >= 2);

    HttpResponse<Buffer> filtered = get("/api/train/history?min_rating=5");
    assertEquals(200, filtered.statusCode());
    assertTrue(filtered.bodyAsJsonObject().getJsonArray("experiments").stream().map(JsonObject.class::cast)
      .noneMatch(e -> e.getString("experiment_id").equals(experiment.getString("experiment_id"))));

    String metrics = get("/metrics").bodyAsString();
    assertTrue(metrics.contains("promptlab_ratings_total"), "ratings reach the Prometheus scrape");
  }

  @Test
  void aJpegWorksInTheOtherMode() throws Exception {
    HttpResponse<Buffer> uploaded = upload(server, SampleImages.jpeg(800, 600), "sala.jpg", "image/jpeg", "surfaces");
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject option = uploaded.bodyAsJsonObject().getJsonArray("options").getJsonObject(0);
    assertEquals("image/jpeg", get(option.getString("url")).getHeader("content-type"));
  }

  @Test
  void badUploadsAreRefusedAndStoreNothing() throws Exception {
    long images = TestDatabase.count("SELECT count(*) FROM images");
    long files = storedFiles();

    HttpResponse<Buffer> text = upload(server, "just some notes, not a picture".getBytes(StandardCharsets.UTF_8),
      "room.png", "image/png", "structure");
    assertError(text, 415);

    // Streamed from a file: the test client must not encode 21 MB on its own event loop in one go.
    Path big = Files.createTempFile(Path.of("target").toAbsolutePath(), "oversized", ".png");
    Files.write(big, new byte[21 * 1024 * 1024]);
    MultipartForm oversized = MultipartForm.create().attribute("mode", "structure")
      .binaryFileUpload("image", "big.png", big.toString(), "image/png");
    assertError(await(server.post("/api/enhance/train").sendMultipartForm(oversized)), 413);
    Files.delete(big);

    HttpResponse<Buffer> badMode = upload(server, SampleImages.jpeg(64, 48), "a.jpg", "image/jpeg", "kitchen");
    assertError(badMode, 400);

    assertEquals(images, TestDatabase.count("SELECT count(*) FROM images"));
    assertEquals(files, storedFiles());
  }

  @Test
  void badRatingsAreRefusedAndStoreNothing() throws Exception {
    JsonObject experiment = upload(server, SampleImages.jpeg(320, 240), "r.jpg", "image/jpeg", "structure").bodyAsJsonObject();
    long ratings = TestDatabase.count("SELECT count(*) FROM ratings");
    long observations = TestDatabase.count("SELECT count(*) FROM optimizer_observations");

    assertError(await(server.post("/api/train/rate").putHeader("content-type", "application/json")
      .sendBuffer(Buffer.buffer("{\"experiment_id\": \"exp_1\", \"ratings\": ["))), 400);
    for (Object bad : new Object[] {0, 6, 3.5, "4"}) {
      JsonObject body = ratingBody(experiment, 4, 4);
      body.getJsonArray("ratings").getJsonObject(0).put("rating", bad);
      assertError(rate(server, body), 400);
    }
    JsonObject unknown = ratingBody(experiment, 4, 4).put("experiment_id", "exp_doesnotexist1");
    assertError(rate(server, unknown), 404);

    assertEquals(ratings, TestDatabase.count("SELECT count(*) FROM ratings"));
    assertEquals(observations, TestDatabase.count("SELECT count(*) FROM optimizer_observations"));

    assertEquals(200, rate(server, ratingBody(experiment, 3, 5)).statusCode());
    HttpResponse<Buffer> again = rate(server, ratingBody(experiment, 3, 5));
    assertEquals(200, again.statusCode(), "an identical resubmission is idempotent");
    assertError(rate(server, ratingBody(experiment, 1, 5)), 409);
    assertEquals(ratings + 2, TestDatabase.count("SELECT count(*) FROM ratings"));
    assertEquals(observations + 2, TestDatabase.count("SELECT count(*) FROM optimizer_observations"));
  }

  private static void assertError(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(error, "JSON error body");
    assertTrue(error.getString("message").length() > 3, "a clear message");
  }

  private static long storedFiles() throws IOException {
    Path images = server.dataDir.resolve("images");
    if (!Files.exists(images)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(images)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
