package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole server with {@code generation.storage.type: s3} against a real S3-compatible server (s3proxy)
 * started here: upload → original and both variants are objects in their buckets under their prefixes → the
 * page and the API serve exactly those bytes → rating works on them. Taking S3 away is tried on a server and an S3
 * of its own, so each test stands alone, in any order.
 */
@ExtendWith(BlockedThreadGuard.class)
class S3OverHttpTest {

  private static final Pattern IMG_SRC = Pattern.compile("<img src=\"(/images/([A-Za-z0-9_-]{22}))\"");

  private static S3TestServer s3;
  private static RunningServer server;

  /** One row of the images table. */
  private record ImageRow(long id, String kind, String storage, String bucket, String key, String contentType,
                          String sha256, Long parentId) {
  }

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    s3 = S3TestServer.start();
    server = RunningServer.startOnTestDatabase(s3.environment());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      server.close();
    } finally {
      s3.close();
    }
  }

  @Test
  void originalsAndVariantsAreObjectsInTheirBucketsAndTheLoopRunsOnThem() throws Exception {
    Set<String> originalsBefore = new HashSet<>(s3.keys(S3TestServer.ORIGINALS_BUCKET));
    Set<String> variantsBefore = new HashSet<>(s3.keys(S3TestServer.ENHANCED_BUCKET));
    byte[] render = SampleImages.pngWithAlpha(480, 360);

    HttpResponse<Buffer> uploaded = TrainingLoopTest.upload(server, render, "salon.png", "image/png", "structure");
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject experiment = uploaded.bodyAsJsonObject();
    JsonArray options = experiment.getJsonArray("options");
    assertEquals(2, options.size());

    List<String> newOriginals = added(s3.keys(S3TestServer.ORIGINALS_BUCKET), originalsBefore);
    List<String> newVariants = added(s3.keys(S3TestServer.ENHANCED_BUCKET), variantsBefore);
    assertEquals(1, newOriginals.size(), "one new original object: " + newOriginals);
    assertEquals(2, newVariants.size(), "two new variant objects: " + newVariants);
    assertTrue(newOriginals.get(0).startsWith(S3TestServer.ORIGINALS_PREFIX), newOriginals.toString());
    assertTrue(newVariants.stream().allMatch(k -> k.startsWith(S3TestServer.ENHANCED_PREFIX)), newVariants.toString());
    assertArrayEquals(render, s3.read(S3TestServer.ORIGINALS_BUCKET, newOriginals.get(0)),
      "the original is stored byte for byte");

    long originalId = imageId(experiment.getString("original_url"));
    ImageRow original = row(originalId);
    assertEquals("original", original.kind());
    assertNull(original.parentId());
    assertStoredIn(original, S3TestServer.ORIGINALS_BUCKET, newOriginals.get(0));
    Set<String> variantKeys = new HashSet<>();
    for (Object o : options) {
      JsonObject option = (JsonObject) o;
      assertEquals("ready", option.getString("status"), option.encode());
      ImageRow variant = row(option.getLong("image_id"));
      assertEquals("enhanced", variant.kind());
      assertEquals(originalId, variant.parentId(), "the variant points at its original");
      assertTrue(newVariants.contains(variant.key()), "the row names a new object: " + variant);
      assertStoredIn(variant, S3TestServer.ENHANCED_BUCKET, variant.key());
      variantKeys.add(variant.key());
    }
    assertEquals(2, variantKeys.size(), "each variant has its own object");

    assertServedAsStored(experiment.getString("original_url"));
    for (Object o : options) {
      assertServedAsStored(((JsonObject) o).getString("url"));
    }
    assertEquals(0, localImageFiles(server), "nothing was written to the local image directory");

    HttpResponse<Buffer> rated = TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment, 5, 3));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    assertEquals(true, rated.bodyAsJsonObject().getBoolean("success"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + " WHERE o.experiment_id = '" + experiment.getString("experiment_id") + "'"));

    JsonObject history = await(server.get("/api/train/history?limit=5").send()).bodyAsJsonObject();
    JsonObject listed = history.getJsonArray("experiments").stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("experiment_id").equals(experiment.getString("experiment_id")))
      .findFirst().orElseThrow();
    for (Object o : listed.getJsonArray("options")) {
      JsonObject option = (JsonObject) o;
      String url = option.getString("url");
      assertEquals(option.getLong("image_id"), imageId(url), "the URL names the option's image");
      assertServedAsStored(url);
    }
  }

  @Test
  void theTrainerPageShowsImagesReadFromS3AndRatesThem() throws Exception {
    MultipartForm form = MultipartForm.create().attribute("mode", "surfaces")
      .binaryFileUpload("image", "cocina.jpg", Buffer.buffer(SampleImages.jpeg(400, 300)), "image/jpeg");
    HttpResponse<Buffer> page = await(server.post("/ui/enhance").sendMultipartForm(form));
    assertEquals(200, page.statusCode(), page.bodyAsString());
    String html = page.bodyAsString();

    List<Long> shown = new ArrayList<>();
    Matcher img = IMG_SRC.matcher(html);
    while (img.find()) {
      assertServedAsStored(img.group(1));
      shown.add(imageId(img.group(1)));
    }
    assertEquals(3, shown.size(), "the original and both variants are on the page: " + html);
    for (long id : shown) {
      assertEquals("s3", row(id).storage());
    }

    Matcher experimentId = Pattern.compile("name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"").matcher(html);
    assertTrue(experimentId.find(), html);
    MultiMap ratings = MultiMap.caseInsensitiveMultiMap().add("experiment_id", experimentId.group(1));
    for (String option : List.of("A", "B")) {
      Matcher imageId = Pattern.compile("name=\"image_id_" + option + "\" value=\"(\\d+)\"").matcher(html);
      assertTrue(imageId.find(), "option " + option + " can be rated on the page");
      ratings.add("image_id_" + option, imageId.group(1)).add("rating_" + option, "4")
        .add("comments_" + option, "texturas creíbles");
    }
    HttpResponse<Buffer> rated = await(server.post("/ui/rate").sendForm(ratings));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    assertEquals("ratings-saved", rated.getHeader("HX-Trigger"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + " WHERE o.experiment_id = '" + experimentId.group(1) + "'"));
  }

  /** S3 is stopped for good here: on an S3 and a server of this test's own. */
  @Test
  void withoutS3TheTrainerGetsAClearErrorAndNothingIsHalfStored() throws Exception {
    try (S3TestServer ownS3 = S3TestServer.start();
         RunningServer own = RunningServer.startOnTestDatabase(ownS3.environment())) {
      HttpResponse<Buffer> uploaded = TrainingLoopTest.upload(own, SampleImages.jpeg(320, 240), "r.jpg",
        "image/jpeg", "structure");
      assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
      String variantUrl = uploaded.bodyAsJsonObject().getJsonArray("options").getJsonObject(0).getString("url");
      long images = TestDatabase.count("SELECT count(*) FROM images");
      long experiments = TestDatabase.count("SELECT count(*) FROM experiments");

      ownS3.stopServing();

      HttpResponse<Buffer> read = await(own.get(variantUrl).send());
      assertJsonError(read, 503);
      HttpResponse<Buffer> refused = TrainingLoopTest.upload(own, SampleImages.jpeg(320, 240), "r.jpg", "image/jpeg",
        "structure");
      assertJsonError(refused, 503);
      assertEquals(images, TestDatabase.count("SELECT count(*) FROM images"), "no image row without its object");
      assertEquals(experiments, TestDatabase.count("SELECT count(*) FROM experiments"));
      assertEquals(0, localImageFiles(own), "no silent fallback to local files");
      assertEquals(200, await(own.get("/health").send()).statusCode(), "the server itself stays up");
    }
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(error, response.bodyAsString());
    String message = error.getString("message");
    assertTrue(message != null && message.length() > 5, "a clear message: " + response.bodyAsString());
    assertFalse(message.contains(S3TestServer.SECRET_KEY) || message.contains(S3TestServer.ACCESS_KEY), message);
  }

  /** GET over HTTP answers exactly the bytes and type of the S3 object the images row names. */
  private static void assertServedAsStored(String url) throws Exception {
    HttpResponse<Buffer> served = await(server.get(url).send());
    assertEquals(200, served.statusCode(), url + ": " + served.bodyAsString());
    ImageRow row = row(imageId(url));
    assertEquals("s3", row.storage());
    assertArrayEquals(s3.read(row.bucket(), row.key()), served.body().getBytes(), url + " serves the stored object");
    assertEquals(row.contentType(), served.getHeader("content-type"));
    assertEquals(row.contentType(), s3.contentType(row.bucket(), row.key()), "the object carries its content type");
  }

  private static void assertStoredIn(ImageRow row, String bucket, String key) throws Exception {
    assertEquals("s3", row.storage());
    assertEquals(bucket, row.bucket());
    assertEquals(key, row.key());
    byte[] bytes = s3.read(bucket, key);
    assertEquals(row.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
      "the row's checksum is the object's");
  }

  private static List<String> added(List<String> now, Set<String> before) {
    return now.stream().filter(k -> !before.contains(k)).toList();
  }

  /** The numeric id of the image a URL names by its public id. */
  private static long imageId(String url) throws Exception {
    Matcher m = Pattern.compile("/images/([A-Za-z0-9_-]{22})$").matcher(url);
    assertTrue(m.find(), "an image URL of this server: " + url);
    try (Connection c = TestDatabase.connect();
         PreparedStatement s = c.prepareStatement("SELECT id FROM images WHERE public_id = ?")) {
      s.setString(1, m.group(1));
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "an image row with public id " + m.group(1));
        return rs.getLong("id");
      }
    }
  }

  private static ImageRow row(long id) throws Exception {
    try (Connection c = TestDatabase.connect();
         PreparedStatement s = c.prepareStatement("SELECT id, kind, storage, bucket, storage_key, content_type, sha256,"
           + " parent_image_id FROM images WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "image row " + id);
        long parent = rs.getLong("parent_image_id");
        Long parentId = rs.wasNull() ? null : parent;
        return new ImageRow(rs.getLong("id"), rs.getString("kind"), rs.getString("storage"), rs.getString("bucket"),
          rs.getString("storage_key"), rs.getString("content_type"), rs.getString("sha256"), parentId);
      }
    }
  }

  private static long localImageFiles(RunningServer on) throws Exception {
    Path images = on.dataDir.resolve("images");
    if (!Files.exists(images)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(images)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
