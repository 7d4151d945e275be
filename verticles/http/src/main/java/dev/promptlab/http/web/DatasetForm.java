package dev.promptlab.http.web;

import dev.promptlab.contract.DatasetUpload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Reads a dataset upload ({@code POST /api/v1/datasets} and its page twin): the multipart {@code file} (JSON Lines or
 * CSV), {@code name}, optionally {@code eval_ratio} and {@code format}. Each refusal is a 400 with the API's English
 * sentence and the key of the page's text, so the form says it in the page's language. The rows themselves are
 * checked by the textopt verticle.
 */
public final class DatasetForm {

  public static final String FILE_FIELD = "file";

  private DatasetForm() {
  }

  public static Future<DatasetUpload> read(Vertx vertx, RoutingContext ctx) {
    List<FileUpload> files = ctx.fileUploads().stream().filter(f -> FILE_FIELD.equals(f.name())).toList();
    if (files.isEmpty() || files.get(0).size() == 0 && files.get(0).fileName().isEmpty()) {
      // A browser sends an empty part without a name when no file was chosen.
      return Future.failedFuture(ApiError.badRequest("the multipart field file (a JSON Lines or CSV dataset) is missing")
        .withMessageKey("dataset_error_file"));
    }
    if (files.size() > 1) {
      return Future.failedFuture(ApiError.badRequest("send one file per dataset").withMessageKey("dataset_error_files"));
    }
    String name = field(ctx, "name");
    if (name == null) {
      return Future.failedFuture(ApiError.badRequest("name is required").withMessageKey("dataset_error_name"));
    }
    if (name.length() > DatasetUpload.MAX_NAME_LENGTH) {
      return Future.failedFuture(ApiError.badRequest("name must be at most " + DatasetUpload.MAX_NAME_LENGTH
        + " characters").withMessageKey("dataset_error_name_length"));
    }
    JsonObject fields = new JsonObject().put("name", name).put("filename", files.get(0).fileName())
      .put("format", field(ctx, "format")).put("uploaded_by", AccessGuard.principalName(ctx));
    String ratio = field(ctx, "eval_ratio");
    if (ratio != null) {
      double parsed;
      try {
        // A Spanish page's users write a decimal comma.
        parsed = Double.parseDouble(ratio.replace(',', '.'));
      } catch (NumberFormatException e) {
        parsed = Double.NaN;
      }
      if (!(parsed > 0 && parsed < 1)) {
        return Future.failedFuture(ApiError.badRequest("eval_ratio must be a number between 0 and 1 (both excluded), got "
          + ratio).withMessageKey("dataset_error_ratio"));
      }
      fields.put("eval_ratio", parsed);
    }
    return vertx.fileSystem().readFile(files.get(0).uploadedFileName()).map(data -> {
      try {
        return DatasetUpload.fromJson(fields.put("data", data));
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(e.getMessage()).withMessageKey("dataset_error_invalid");
      }
    });
  }

  private static String field(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
