package dev.promptlab.generation;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.generation.image.ImageInfo;
import dev.promptlab.generation.image.ImageRejectedException;
import dev.promptlab.generation.image.UploadValidator;
import dev.promptlab.generation.storage.ImageKind;
import dev.promptlab.generation.storage.ImageStorage;
import dev.promptlab.generation.storage.LocalImageStorage;
import dev.promptlab.generation.storage.S3ImageStorage;
import dev.promptlab.generation.storage.StorageKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored images: bytes in the configured storage (local files, or S3), one row in {@code images} each. Only
 * validated images are stored, and a stored file without its row is removed again, so a failure leaves nothing
 * half made. Images are read from whichever storage holds them, so switching storage keeps older images readable.
 */
final class ImageLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(ImageLibrary.class);
  private static final String OWNER_ONLY = "rwx------";

  /** A validated image ready to be stored. */
  record Checked(Buffer data, ImageInfo info, String sha256) {
  }

  private final GenerationSettings settings;
  private final ImageQueries queries;
  private final UploadValidator validator;
  private final Map<String, ImageStorage> storageByType;
  private final ImageStorage writeStorage;

  private ImageLibrary(GenerationSettings settings, ImageQueries queries, Map<String, ImageStorage> storageByType) {
    this.settings = settings;
    this.queries = queries;
    this.validator = new UploadValidator(settings.maxUploadBytes(), settings.maxPixels());
    this.storageByType = storageByType;
    this.writeStorage = storageByType.get(settings.storageType());
  }

  /** Opens the storages: the local images folder (owner-only), and S3 when it is configured. */
  static Future<ImageLibrary> open(Vertx vertx, GenerationSettings settings, ImageQueries queries) {
    Map<String, ImageStorage> storageByType = new LinkedHashMap<>();
    LocalImageStorage local = new LocalImageStorage(vertx, settings.imagesDir());
    storageByType.put(local.type(), local);
    String images = settings.imagesDir().toString();
    // Image folders of older versions were created with the umask's permissions: owner-only from now on.
    return vertx.fileSystem().mkdirs(images, OWNER_ONLY)
      .compose(done -> vertx.fileSystem().chmod(images, OWNER_ONLY))
      .compose(done -> settings.s3() == null ? Future.succeededFuture()
        : S3ImageStorage.create(vertx, settings.s3()).onSuccess(s3 -> storageByType.put(s3.type(), s3)))
      .map(done -> new ImageLibrary(settings, queries, storageByType))
      .recover(failure -> close(storageByType.values()).transform(ignored -> Future.failedFuture(failure)));
  }

  /** Validates {@code data} by content and size; blocking (it decodes), so callers run it on a worker. */
  Checked check(Buffer data) throws ImageRejectedException {
    byte[] bytes = data.getBytes();
    ImageInfo info = validator.validate(bytes);
    return new Checked(data, info, sha256(bytes));
  }

  /** The row of image {@code id}, or NOT_FOUND. */
  Future<ImageRow> find(long id) {
    return queries.find(id).compose(row -> row.map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(BusFailure.notFound("no image with id " + id))));
  }

  /** The row of the original {@code id}, or NOT_FOUND when there is none or it is an enhanced variant. */
  Future<ImageRow> original(long id) {
    return queries.find(id).compose(row -> row.filter(r -> ImageKind.ORIGINAL.dbName().equals(r.kind()))
      .map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(BusFailure.notFound("no original image with id " + id))));
  }

  Future<Buffer> read(ImageRow row) {
    ImageStorage storage = storageByType.get(row.location().storage());
    if (storage == null) {
      return Future.failedFuture(BusFailure.storage("image " + row.id() + " is kept in '" + row.location().storage()
        + "' storage, which is not configured"));
    }
    return storage.get(row.location());
  }

  /** Writes the bytes, then the row; when the row cannot be written the bytes are removed again. */
  Future<StoredImage> store(ImageKind kind, Checked checked, Long parentId, String projectId, String siteVisitId,
                            JsonObject metadata) {
    ImageInfo info = checked.info();
    String contentType = info.format().contentType();
    return writeStorage.put(kind, StorageKeys.newName(info.format().extension()), checked.data(), contentType)
      .compose(location -> queries.insert(new NewImage(kind, location, contentType, info.width(), info.height(),
          checked.data().length(), checked.sha256(), parentId, projectId, siteVisitId, metadata))
        .recover(failure -> writeStorage.delete(location)
          .onFailure(e -> LOG.error("could not remove {} after the row failed; the file is orphaned", location.key(), e))
          .transform(ignored -> Future.<ImageQueries.Inserted>failedFuture(failure))))
      .map(row -> new StoredImage(row.id(), row.publicId(), settings.urlOf(row.publicId()), contentType, info.width(),
        info.height()));
  }

  Future<?> close() {
    return close(storageByType.values());
  }

  private static Future<?> close(Iterable<ImageStorage> storages) {
    List<Future<?>> closing = new ArrayList<>();
    storages.forEach(s -> closing.add(s.close()));
    return Future.join(closing);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
