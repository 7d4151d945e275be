package dev.promptlab.http.api;

import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.ApiError;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code GET /images/:id}: the bytes of a stored image, read through the generation verticle. */
public final class ImageApi {

  private static final Set<String> SERVED_TYPES = Set.of("image/png", "image/jpeg");

  private final Neighbours neighbours;

  public ImageApi(Neighbours neighbours) {
    this.neighbours = neighbours;
  }

  public void image(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id <= 0) {
      ctx.fail(ApiError.notFound("no image " + ctx.pathParam("id")));
      return;
    }
    neighbours.readImage(id).onSuccess(image -> {
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
