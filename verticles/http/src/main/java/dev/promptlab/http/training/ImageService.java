package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;

/**
 * Reads a stored image by its public id for a caller. The id must have the public shape ({@link ImageUrls#PUBLIC_ID});
 * a numeric id names no image. The image is read only for the creator of the experiment it belongs to and for
 * admins ({@link ExperimentAccess}); everyone else gets the same 404 as for an unknown id, so a leaked URL does not
 * even confirm that the image exists.
 */
public final class ImageService {

  private final Neighbours neighbours;
  private final TrainingStore store;

  public ImageService(Neighbours neighbours, TrainingStore store) {
    this.neighbours = neighbours;
    this.store = store;
  }

  public Future<ImageBytes> read(String publicId, Principal caller) {
    if (publicId == null || !ImageUrls.PUBLIC_ID.matcher(publicId).matches()) {
      return Future.failedFuture(noImage(publicId));
    }
    return store.imageOwner(publicId)
      .recover(failure -> StorageFailures.explain(failure, "the image could not be looked up"))
      .compose(owner -> owner.filter(o -> ExperimentAccess.mayUse(caller, o.createdBy()))
        .map(o -> neighbours.readImage(o.imageId()))
        .orElseGet(() -> Future.failedFuture(noImage(publicId))));
  }

  private static ApiError noImage(String id) {
    return ApiError.notFound("no image " + id);
  }
}
