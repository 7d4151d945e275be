package dev.promptlab.generation.storage;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class LocalImageStorageTest {

  private Vertx vertx;
  private Path root;
  private LocalImageStorage storage;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "storage-").resolve("images");
    storage = new LocalImageStorage(vertx, root);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void writesReadsAndDeletesUnderTheKindsFolder() throws Exception {
    byte[] bytes = {1, 2, 3, 4, 5};
    StorageLocation location = await(storage.put(ImageKind.ENHANCED, "2025/01/02/abc.png", Buffer.buffer(bytes), "image/png"));
    assertEquals(new StorageLocation("local", "", "enhanced/2025/01/02/abc.png"), location);
    assertTrue(Files.isRegularFile(root.resolve("enhanced/2025/01/02/abc.png")));
    assertArrayEquals(bytes, await(storage.get(location)).getBytes());
    try (Stream<Path> files = Files.list(root.resolve("enhanced/2025/01/02"))) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
    await(storage.delete(location));
    assertFalse(Files.exists(root.resolve("enhanced/2025/01/02/abc.png")));
    await(storage.delete(location));
    StorageException missing = failure(storage.get(location));
    assertTrue(missing.missing());
  }

  @Test
  void imagesAndTheirFoldersAreOwnerOnly() throws Exception {
    await(storage.put(ImageKind.ORIGINAL, "2025/03/04/private.jpg", Buffer.buffer(new byte[] {9, 8, 7}), "image/jpeg"));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
      Files.getPosixFilePermissions(root.resolve("originals/2025/03/04/private.jpg"))));
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
      Files.getPosixFilePermissions(root.resolve("originals/2025/03/04"))));
  }

  @Test
  void refusesKeysThatLeaveTheFolderOrBelongElsewhere() throws Exception {
    assertFalse(failure(storage.put(ImageKind.ORIGINAL, "../../escape.png", Buffer.buffer("x"), "image/png")).missing());
    assertFalse(Files.exists(root.getParent().resolve("escape.png")));
    assertFalse(failure(storage.get(new StorageLocation("local", "", "../outside.png"))).missing());
    assertFalse(failure(storage.get(new StorageLocation("local", "", "/etc/hostname"))).missing());
    assertFalse(failure(storage.delete(new StorageLocation("local", "", "originals/../../x"))).missing());
    assertFalse(failure(storage.get(new StorageLocation("s3", "bucket", "originals/a.png"))).missing());
  }

  private static StorageException failure(Future<?> future) {
    return assertThrows(StorageException.class, () -> await(future));
  }
}
