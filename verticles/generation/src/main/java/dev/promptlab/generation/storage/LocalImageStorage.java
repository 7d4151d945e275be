package dev.promptlab.generation.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Image files under {@code <root>/originals/...} and {@code <root>/enhanced/...}. A write goes to a temporary
 * file in the target folder and is then renamed atomically, so a reader never sees half a file. Uses
 * Vert.x's asynchronous file system, whose blocking calls run on worker threads.
 */
public final class LocalImageStorage implements ImageStorage {

  public static final String TYPE = "local";

  private final FileSystem fs;
  private final Path root;

  public LocalImageStorage(Vertx vertx, Path root) {
    this.fs = vertx.fileSystem();
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String type() {
    return TYPE;
  }

  public Path root() {
    return root;
  }

  static final String OWNER_ONLY_DIR = "rwx------";
  static final String OWNER_ONLY_FILE = "rw-------";

  @Override
  public Future<StorageLocation> put(ImageKind kind, String name, Buffer data, String contentType) {
    String key;
    Path target;
    try {
      key = StorageKeys.requireValid(kind.folder() + "/" + name);
      target = resolve(key);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new StorageException(e.getMessage(), false, e));
    }
    String temp = target.getParent().resolve("." + UUID.randomUUID() + ".tmp").toString();
    StorageLocation location = new StorageLocation(TYPE, "", key);
    // Owner-only: uploads are customers' site photos; no other local user may list or read them.
    return fs.mkdirs(target.getParent().toString(), OWNER_ONLY_DIR)
      .compose(done -> fs.createFile(temp, OWNER_ONLY_FILE))
      .compose(done -> fs.writeFile(temp, data))
      .compose(done -> fs.move(temp, target.toString(), new CopyOptions().setAtomicMove(true)))
      .map(done -> location)
      .recover(failure -> fs.delete(temp).otherwiseEmpty().compose(ignored -> Future.failedFuture(
        new StorageException("writing image file " + key + " failed: " + failure.getMessage(), false, failure))));
  }

  @Override
  public Future<Buffer> get(StorageLocation location) {
    Path path;
    try {
      path = resolve(checked(location));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new StorageException(e.getMessage(), false, e));
    }
    return fs.readFile(path.toString()).recover(failure -> Future.failedFuture(new StorageException(
      "reading image file " + location.key() + " failed", isMissing(failure), failure)));
  }

  @Override
  public Future<Void> delete(StorageLocation location) {
    Path path;
    try {
      path = resolve(checked(location));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new StorageException(e.getMessage(), false, e));
    }
    return fs.delete(path.toString()).recover(failure -> isMissing(failure)
      ? Future.succeededFuture()
      : Future.failedFuture(new StorageException("removing image file " + location.key() + " failed", false, failure)));
  }

  private String checked(StorageLocation location) {
    if (!TYPE.equals(location.storage())) {
      throw new IllegalArgumentException("image is kept in '" + location.storage() + "' storage, not local files");
    }
    return StorageKeys.requireValid(location.key());
  }

  private Path resolve(String key) {
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("storage key escapes the image folder: " + key);
    }
    return path;
  }

  private static boolean isMissing(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return true;
      }
    }
    return failure instanceof FileSystemException && String.valueOf(failure.getMessage()).contains("NoSuchFile");
  }
}
