package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads a stored image by its public id for a caller. The id must have the public shape ({@link ImageUrls#PUBLIC_ID});
 * a numeric id names no image. The image is read only for the creator of the experiment it belongs to and for
 * admins ({@link ExperimentAccess}); everyone else gets the same 404 as for an unknown id, so a leaked URL does not
 * even confirm that the image exists.
 */
public final class ImageService {

  private final WorkerExecutor thumbnailer;
  private final Neighbours neighbours;
  private final TrainingStore store;
  private final ThumbnailCache thumbnails;

  public ImageService(Vertx vertx, Neighbours neighbours, TrainingStore store, ThumbnailCache thumbnails) {
    // One decode at a time: a page of thumbnails must not take every core from the event loops.
    this.thumbnailer = vertx.createSharedWorkerExecutor("promptlab-thumbnails", 1);
    this.neighbours = neighbours;
    this.store = store;
    this.thumbnails = thumbnails;
  }

  public Future<ImageBytes> read(String publicId, Principal caller) {
    return allowed(publicId, caller).compose(neighbours::readImage);
  }

  /**
   * A JPEG thumbnail of the image (at most {@link Thumbnail#MAX_WIDTH} x {@link Thumbnail#MAX_HEIGHT}) for the same
   * callers as {@link #read}: made on a worker the first time, then served from the cache.
   */
  public Future<ImageBytes> thumbnail(String publicId, Principal caller) {
    return allowed(publicId, caller).compose(imageId -> thumbnails.get(publicId)
      .map(Future::succeededFuture)
      .orElseGet(() -> neighbours.readImage(imageId)
        .compose(image -> thumbnailer.executeBlocking(() -> Thumbnail.of(image.data().getBytes()), false))
        .recover(failure -> failure instanceof IOException
          ? Future.failedFuture(ApiError.upstream("the stored image could not be decoded"))
          : Future.failedFuture(failure))
        .onSuccess(made -> thumbnails.put(publicId, made)))
      .map(bytes -> new ImageBytes(Buffer.buffer(bytes), "image/jpeg")));
  }

  /** The numeric id of the image when {@code caller} may see it; the same 404 for an unknown id and a forbidden one. */
  private Future<Long> allowed(String publicId, Principal caller) {
    if (publicId == null || !ImageUrls.PUBLIC_ID.matcher(publicId).matches()) {
      return Future.failedFuture(noImage(publicId));
    }
    return store.imageOwner(publicId)
      .recover(failure -> StorageFailures.explain(failure, "the image could not be looked up"))
      .compose(owner -> owner.filter(o -> ExperimentAccess.mayUse(caller, o.createdBy()))
        .map(o -> Future.succeededFuture(o.imageId()))
        .orElseGet(() -> Future.failedFuture(noImage(publicId))));
  }

  private static ApiError noImage(String id) {
    return ApiError.notFound("no image " + id);
  }
}
