package dev.promptlab.generation;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.generation.storage.StorageLocation;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All SQL of the generation verticle: the {@code images} table. Database failures become STORAGE_FAILED. */
final class ImageQueries {

  private static final Logger LOG = LoggerFactory.getLogger(ImageQueries.class);

  private static final String INSERT = """
    INSERT INTO images (kind, storage, bucket, storage_key, content_type, width, height, size_bytes, sha256,
                        parent_image_id, project_id, site_visit_id, metadata)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    RETURNING id, public_id""";

  private static final String FIND = """
    SELECT id, kind, storage, bucket, storage_key, content_type, width, height
    FROM images WHERE id = $1""";

  private final Pool pool;

  ImageQueries(Pool pool) {
    this.pool = pool;
  }

  /** The new row's numeric id and its public id (the column's default draws 128 random bits). */
  record Inserted(long id, String publicId) {
  }

  Future<Inserted> insert(NewImage image) {
    StorageLocation location = image.location();
    Tuple values = Tuple.tuple()
      .addString(image.kind().dbName()).addString(location.storage()).addString(location.bucket())
      .addString(location.key()).addString(image.contentType()).addInteger(image.width())
      .addInteger(image.height()).addLong(image.sizeBytes()).addString(image.sha256())
      .addLong(image.parentImageId()).addString(image.projectId()).addString(image.siteVisitId())
      .addValue(image.metadata());
    return pool.preparedQuery(INSERT).execute(values)
      .map(rows -> {
        Row row = rows.iterator().next();
        return new Inserted(row.getLong("id"), row.getString("public_id"));
      })
      .recover(failure -> databaseFailure("recording the image", failure));
  }

  Future<Optional<ImageRow>> find(long id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.<ImageRow>empty() : Optional.of(toRow(rows.iterator().next())))
      .recover(failure -> databaseFailure("looking up the image", failure));
  }

  private static ImageRow toRow(Row row) {
    return new ImageRow(row.getLong("id"), row.getString("kind"),
      new StorageLocation(row.getString("storage"), row.getString("bucket"), row.getString("storage_key")),
      row.getString("content_type"), row.getInteger("width"), row.getInteger("height"));
  }

  private static <T> Future<T> databaseFailure(String what, Throwable failure) {
    LOG.warn("database failure while {}: {}", what, failure.toString());
    return Future.failedFuture(new BusFailure(FailureCodes.STORAGE_FAILED,
      "the image database failed while " + what));
  }
}
