package dev.promptlab.http.api;

import dev.promptlab.http.imports.ImportService;
import dev.promptlab.http.imports.ImportUpload;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.JsonBodies;
import dev.promptlab.http.web.PathIds;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The import of historical enhancements (admin): {@code POST /api/admin/imports} takes a multipart upload of the
 * field {@code manifest}, one file part per image, named by the path the manifest gives it, and optionally
 * {@code first_row} (the number of the manifest's first row, when it is a part of a larger one), and answers the
 * import's report; {@code GET /api/admin/imports} lists the latest imports, {@code GET /api/admin/imports/:id}
 * answers one report.
 */
public final class ImportApi {

  static final String MANIFEST_FIELD = "manifest";
  static final String FIRST_ROW_FIELD = "first_row";

  private final ImportService imports;

  public ImportApi(ImportService imports) {
    this.imports = imports;
  }

  public void create(RoutingContext ctx) {
    FileUpload manifest = null;
    Map<String, String> files = new HashMap<>();
    for (FileUpload upload : ctx.fileUploads()) {
      if (MANIFEST_FIELD.equals(upload.name())) {
        if (manifest != null) {
          throw ApiError.badRequest("send one manifest per import");
        }
        manifest = upload;
        continue;
      }
      String path;
      try {
        path = ImportService.normalisePath(upload.name());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("the file part " + upload.name() + " " + e.getMessage()
          + "; name each image part by the path the manifest gives it");
      }
      if (files.put(path, upload.uploadedFileName()) != null) {
        throw ApiError.badRequest("two file parts are named " + path);
      }
    }
    if (manifest == null) {
      throw ApiError.badRequest("the multipart field manifest (a CSV or JSON Lines file) is missing");
    }
    JsonBodies.send(ctx, imports.run(new ImportUpload(manifest.fileName(), manifest.uploadedFileName(),
      firstRow(ctx.request().getFormAttribute(FIRST_ROW_FIELD)), files, AccessGuard.principal(ctx))));
  }

  private static int firstRow(String text) {
    if (text == null || text.isBlank()) {
      return 1;
    }
    try {
      int row = Integer.parseInt(text.strip());
      if (row >= 1) {
        return row;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest(FIRST_ROW_FIELD + " must be a whole number from 1, got " + text);
  }

  public void latest(RoutingContext ctx) {
    JsonBodies.send(ctx, imports.latest());
  }

  public void show(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "import").compose(imports::report));
  }
}
