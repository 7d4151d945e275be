package dev.promptlab.generation.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Keeps image bytes. Every operation is asynchronous and never blocks the calling event loop; failures
 * arrive as {@link StorageException}.
 */
public interface ImageStorage {

  /** The {@code images.storage} value of objects this storage writes ({@code local} or {@code s3}). */
  String type();

  /** Writes {@code data} as a new object named {@code name} among the images of {@code kind}. Atomic: readers see all or nothing. */
  Future<StorageLocation> put(ImageKind kind, String name, Buffer data, String contentType);

  /** The bytes at {@code location}; fails with a {@link StorageException} whose {@code missing()} is true when absent. */
  Future<Buffer> get(StorageLocation location);

  /** Removes the object; succeeds when it is already gone. */
  Future<Void> delete(StorageLocation location);

  /** Releases clients and connections. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
