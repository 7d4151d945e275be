package dev.promptlab.generation;

import static dev.promptlab.generation.GenerationBus.countFiles;
import static dev.promptlab.generation.GenerationBus.failure;
import static dev.promptlab.generation.GenerationBus.request;
import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.StoreImageRequest;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verticle writing to S3 (s3proxy started in the test) instead of local files. */
@ExtendWith({VertxExtension.class, BlockedThreadGuard.class, WebClientWarmUp.class})
class GenerationS3Test {

  @RegisterExtension
  static final S3TestServer.PerClass s3Server = new S3TestServer.PerClass();

  private static S3TestServer s3() {
    return s3Server.server();
  }

  private Vertx vertx;
  private Path dataDir;

  @BeforeEach
  void setUp() throws Exception {
    TestDatabase.reset();
    vertx = TestVertx.create();
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3-");
    JsonObject config = new JsonObject().put("db", TestDatabase.pgOptions()).put("data_dir", dataDir.toString())
      .put("storage", new JsonObject().put("type", "s3").put("s3", s3().settings()));
    await(vertx.deployVerticle(new GenerationVerticle(), new DeploymentOptions().setConfig(config)));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private int objects() {
    return s3().objectCount(S3TestServer.ORIGINALS_BUCKET) + s3().objectCount(S3TestServer.ENHANCED_BUCKET);
  }

  @Test
  void storesGeneratesAndServesFromS3() throws Exception {
    int before = objects();
    byte[] upload = TestImages.png(TestImages.interior(200, 150, false));
    Message<JsonObject> stored = request(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new StoreImageRequest(Buffer.buffer(upload), "r.png", null, null).toJson());
    StoredImage original = StoredImage.fromJson(stored.body());
    Message<JsonObject> generated = request(vertx, Addresses.GENERATION_GENERATE, new GenerateRequest(original.imageId(),
      "structure", new GenerationParameters("leonardo", 0.3, 8, 0.9), new PromptText("p", ""), "v1.0.0", 5).toJson());
    StoredImage enhanced = GeneratedImage.fromJson(generated.body()).image();

    Message<Buffer> read = request(vertx, Addresses.GENERATION_IMAGE_READ, new JsonObject().put("image_id", original.imageId()));
    assertArrayEquals(upload, read.body().getBytes());
    Message<Buffer> readEnhanced = request(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", enhanced.imageId()));
    assertEquals(200, TestImages.decode(readEnhanced.body().getBytes()).getWidth());

    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT kind, storage, bucket, storage_key FROM images ORDER BY id")) {
      rs.next();
      assertEquals("s3", rs.getString(2));
      assertEquals(S3TestServer.ORIGINALS_BUCKET, rs.getString(3));
      assertTrue(rs.getString(4).startsWith("renders/originals/"), rs.getString(4));
      assertTrue(s3().exists(S3TestServer.ORIGINALS_BUCKET, rs.getString(4)));
      rs.next();
      assertEquals(S3TestServer.ENHANCED_BUCKET, rs.getString(3));
      assertTrue(s3().exists(S3TestServer.ENHANCED_BUCKET, rs.getString(4)));
    }
    assertEquals(before + 2, objects());
    assertEquals(0, countFiles(dataDir.resolve("images")), "nothing written locally");
  }

  @Test
  void rejectedUploadsAndDatabaseFailuresLeaveNoObjects() throws Exception {
    int before = objects();
    assertEquals(FailureCodes.UNSUPPORTED_MEDIA, failure(vertx, Addresses.GENERATION_STORE_ORIGINAL,
      new StoreImageRequest(Buffer.buffer("text"), null, null, null).toJson()).failureCode());
    assertEquals(before, objects());

    TestDatabase.execute("ALTER TABLE images ADD CONSTRAINT refuse_new_rows_in_s3_test CHECK (false) NOT VALID");
    try {
      assertEquals(FailureCodes.STORAGE_FAILED, failure(vertx, Addresses.GENERATION_STORE_ORIGINAL,
        new StoreImageRequest(Buffer.buffer(TestImages.png(TestImages.quadrants(40, 40))), null, null, null).toJson())
        .failureCode());
    } finally {
      TestDatabase.execute("ALTER TABLE images DROP CONSTRAINT refuse_new_rows_in_s3_test");
    }
    assertEquals(before, objects(), "the object written before the failed insert was removed");
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM images"));
  }
}
