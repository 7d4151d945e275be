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
import dev.promptlab.contract.StoreImportedRequest;
import dev.promptlab.contract.StoredImportedPair;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code promptlab.generation.imported.store}: historical originals and variants, checked before anything is kept. */
@ExtendWith({BlockedThreadGuard.class, WebClientWarmUp.class})
class ImportedImagesTest {

  private static final JsonObject PROVENANCE = new JsonObject().put("import_id", 5).put("row", 2);

  private Vertx vertx;
  private Path dataDir;

  @BeforeEach
  void setUp() throws Exception {
    TestDatabase.reset();
    vertx = TestVertx.create();
    dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "imported-");
    await(vertx.deployVerticle(new GenerationVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("db", TestDatabase.pgOptions()).put("data_dir", dataDir.toString()))));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void storesTheOriginalAndItsVariantWithTheirProvenance() throws Exception {
    byte[] original = TestImages.png(TestImages.interior(160, 120, true));
    byte[] enhanced = TestImages.png(TestImages.interior(160, 120, false));
    Message<JsonObject> reply = request(vertx, Addresses.GENERATION_STORE_IMPORTED, new StoreImportedRequest(
      Buffer.buffer(original), "kitchen.png", Buffer.buffer(enhanced), "kitchen-a.png", PROVENANCE).toJson());
    StoredImportedPair pair = StoredImportedPair.fromJson(reply.body());
    assertEquals(160, pair.original().width());
    assertEquals("/images/" + pair.enhanced().publicId(), pair.enhanced().url());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM images WHERE id = " + pair.enhanced().imageId()
      + " AND kind = 'enhanced' AND parent_image_id = " + pair.original().imageId()
      + " AND metadata->'imported'->>'row' = '2' AND metadata->>'filename' = 'kitchen-a.png'"));
    Message<Buffer> read = request(vertx, Addresses.GENERATION_IMAGE_READ,
      new JsonObject().put("image_id", pair.enhanced().imageId()));
    assertArrayEquals(enhanced, read.body().getBytes());

    assertEquals(2, TestDatabase.count("SELECT count(*) FROM images"));
  }

  @Test
  void aRefusedVariantNamesItselfAndNothingIsStored() throws Exception {
    byte[] original = TestImages.png(TestImages.interior(160, 120, true));
    ReplyException refused = failure(vertx, Addresses.GENERATION_STORE_IMPORTED, new StoreImportedRequest(
      Buffer.buffer(original), "kitchen.png", Buffer.buffer("not an image".getBytes(StandardCharsets.UTF_8)),
      "notes.txt", PROVENANCE).toJson());
    assertEquals(FailureCodes.UNSUPPORTED_MEDIA, refused.failureCode());
    assertEquals(StoreImportedRequest.ENHANCED, StoreImportedRequest.refusedImage(refused.getMessage()),
      refused.getMessage());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM images"));
    assertTrue(!Files.exists(dataDir.resolve("images")) || countFiles(dataDir.resolve("images")) == 0);
  }

  @Test
  void aRefusedOriginalNamesItself() throws Exception {
    byte[] enhanced = TestImages.png(TestImages.interior(160, 120, false));
    byte[] truncated = java.util.Arrays.copyOf(TestImages.png(TestImages.interior(160, 120, true)), 60);
    ReplyException refused = failure(vertx, Addresses.GENERATION_STORE_IMPORTED, new StoreImportedRequest(
      Buffer.buffer(truncated), "kitchen.png", Buffer.buffer(enhanced), "kitchen-a.png", PROVENANCE).toJson());
    assertEquals(StoreImportedRequest.ORIGINAL, StoreImportedRequest.refusedImage(refused.getMessage()),
      refused.getMessage());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM images"));
  }
}
