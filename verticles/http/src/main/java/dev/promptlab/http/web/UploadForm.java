package dev.promptlab.http.web;

import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.http.training.Upload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the multipart upload of {@code POST /api/enhance/train} (and its htmx twin): the
 * {@code image} file, {@code mode} (default {@code structure}), optional {@code project_id} and
 * {@code site_visit_id}. Format and pixel checks belong to the generation verticle.
 */
public final class UploadForm {

  private static final int MAX_ID_CHARS = 200;

  private UploadForm() {
  }

  public static Future<Upload> read(Vertx vertx, RoutingContext ctx, long maxUploadBytes) {
    FileUpload file = ctx.fileUploads().stream().filter(f -> "image".equals(f.name())).findFirst().orElse(null);
    if (file == null) {
      return Future.failedFuture(ApiError.badRequest("the multipart field image (the render to enhance) is missing"));
    }
    if (file.size() == 0) {
      return Future.failedFuture(ApiError.badRequest("the uploaded image is empty"));
    }
    if (file.size() > maxUploadBytes) {
      return Future.failedFuture(ApiError.tooLarge("the image may have at most " + maxUploadBytes + " bytes"));
    }
    String mode = field(ctx, "mode");
    if (mode == null) {
      mode = ParameterSpace.MODES.get(0);
    }
    if (!ParameterSpace.isMode(mode)) {
      return Future.failedFuture(ApiError.badRequest("mode must be one of " + String.join(", ", ParameterSpace.MODES)));
    }
    String projectId = field(ctx, "project_id");
    String siteVisitId = field(ctx, "site_visit_id");
    if (tooLong(projectId) || tooLong(siteVisitId)) {
      return Future.failedFuture(ApiError.badRequest("project_id and site_visit_id may have at most "
        + MAX_ID_CHARS + " characters"));
    }
    String chosenMode = mode;
    return vertx.fileSystem().readFile(file.uploadedFileName()).map(data -> new Upload(data, file.fileName(),
      chosenMode, projectId, siteVisitId, AccessGuard.principalName(ctx)));
  }

  private static String field(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static boolean tooLong(String value) {
    return value != null && value.length() > MAX_ID_CHARS;
  }
}
