package dev.promptlab.generation.storage;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class S3ImageStorageTest {

  @RegisterExtension
  static final S3TestServer.PerClass s3Server = new S3TestServer.PerClass();

  private static S3TestServer s3() {
    return s3Server.server();
  }

  private Vertx vertx;
  private S3ImageStorage storage;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    storage = await(S3ImageStorage.create(vertx, S3Settings.from(s3().settings())));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(storage.close());
    await(vertx.close());
  }

  @Test
  void writesEachKindToItsBucketAndPrefixThenReadsAndDeletes() throws Exception {
    byte[] bytes = {9, 8, 7, 6};
    StorageLocation original = await(storage.put(ImageKind.ORIGINAL, "2025/03/07/a.png", Buffer.buffer(bytes), "image/png"));
    assertEquals(new StorageLocation("s3", S3TestServer.ORIGINALS_BUCKET, "renders/originals/2025/03/07/a.png"), original);
    StorageLocation enhanced = await(storage.put(ImageKind.ENHANCED, "2025/03/07/b.jpg", Buffer.buffer(bytes), "image/jpeg"));
    assertEquals(S3TestServer.ENHANCED_BUCKET, enhanced.bucket());
    assertEquals("renders/enhanced/2025/03/07/b.jpg", enhanced.key());
    assertTrue(s3().exists(S3TestServer.ORIGINALS_BUCKET, original.key()));

    assertArrayEquals(bytes, await(storage.get(original)).getBytes());
    await(storage.delete(original));
    assertFalse(s3().exists(S3TestServer.ORIGINALS_BUCKET, original.key()));
    await(storage.delete(original));
    StorageException missing = failure(storage.get(original));
    assertTrue(missing.missing(), missing.getMessage());
  }

  @Test
  void refusesForeignAndMalformedLocations() throws Exception {
    assertFalse(failure(storage.get(new StorageLocation("local", "", "originals/a.png"))).missing());
    assertFalse(failure(storage.get(new StorageLocation("s3", S3TestServer.ORIGINALS_BUCKET, "../a.png"))).missing());
    assertFalse(failure(storage.put(ImageKind.ORIGINAL, "../x.png", Buffer.buffer("x"), "image/png")).missing());
    assertEquals(0, s3().objectCount(S3TestServer.ORIGINALS_BUCKET));
  }

  @Test
  void aMissingBucketIsAStorageFailureThatNamesTheObject() {
    S3Settings wrong = S3Settings.from(s3().settings().put("enhanced", new io.vertx.core.json.JsonObject()
      .put("bucket", "no-such-bucket")));
    StorageException e = assertThrows(StorageException.class, () -> {
      S3ImageStorage other = await(S3ImageStorage.create(vertx, wrong));
      try {
        await(other.put(ImageKind.ENHANCED, "x.png", Buffer.buffer("x"), "image/png"));
      } finally {
        await(other.close());
      }
    });
    assertTrue(e.getMessage().contains("s3://no-such-bucket/"), e.getMessage());
    assertFalse(e.getMessage().contains(S3TestServer.SECRET_KEY));
  }

  @Test
  void settingsValidateBucketsAndPrefixes() {
    assertThrows(IllegalArgumentException.class, () -> S3Settings.from(new io.vertx.core.json.JsonObject()));
    assertThrows(IllegalArgumentException.class, () -> S3Settings.from(s3().settings().put("originals",
      new io.vertx.core.json.JsonObject().put("bucket", "Bad_Bucket"))));
    assertThrows(IllegalArgumentException.class, () -> S3Settings.from(s3().settings().put("originals",
      new io.vertx.core.json.JsonObject().put("bucket", "fine-bucket").put("prefix", "../up"))));
    assertThrows(IllegalArgumentException.class, () -> S3Settings.from(s3().settings().put("endpoint", "not a uri")));
    S3Settings shared = S3Settings.from(new io.vertx.core.json.JsonObject().put("bucket", "one-bucket"));
    assertEquals("one-bucket", shared.originals().bucket());
    assertEquals("originals/", shared.originals().prefix());
    assertEquals("enhanced/", shared.enhanced().prefix());
    assertFalse(shared.pathStyle(), "virtual-host style on AWS itself");
  }

  private static StorageException failure(Future<?> future) {
    return assertThrows(StorageException.class, () -> await(future));
  }
}
