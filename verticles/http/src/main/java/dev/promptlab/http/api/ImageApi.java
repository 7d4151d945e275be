package dev.promptlab.http.api;

import dev.promptlab.http.training.ImageBytes;
import dev.promptlab.http.training.ImageService;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code GET /images/:publicId}: the bytes of a stored image for its experiment's creator or an admin
 * ({@link ImageService}); anyone else, and any numeric id, gets 404.
 */
public final class ImageApi {

  private static final Set<String> SERVED_TYPES = Set.of("image/png", "image/jpeg");

  private final ImageService images;

  public ImageApi(ImageService images) {
    this.images = images;
  }

  public void image(RoutingContext ctx) {
    send(ctx, images.read(ctx.pathParam("id"), AccessGuard.principal(ctx)));
  }

  /** {@code GET /images/:publicId/thumbnail}: a small JPEG of the image for the same callers, for lists. */
  public void thumbnail(RoutingContext ctx) {
    send(ctx, images.thumbnail(ctx.pathParam("id"), AccessGuard.principal(ctx)));
  }

  private static void send(RoutingContext ctx, Future<ImageBytes> read) {
    read.onSuccess(image -> {
      // Only image types are served, so stored bytes can never become a page of this origin.
      if (image.contentType() == null || !SERVED_TYPES.contains(image.contentType())) {
        ctx.fail(ApiError.upstream("the stored image has no servable content type"));
        return;
      }
      ctx.response()
        .putHeader("content-type", image.contentType())
        .putHeader("cache-control", "private, max-age=31536000, immutable")
        .putHeader("x-content-type-options", "nosniff")
        .end(image.data());
    }).onFailure(ctx::fail);
  }
}
