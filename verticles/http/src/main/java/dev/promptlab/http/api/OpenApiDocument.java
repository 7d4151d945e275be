package dev.promptlab.http.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of {@code /api/v1}, kept as {@code openapi/v1.json} on the class path and served as it is
 * ({@code GET /api/v1/openapi.json}); the API page renders it. A test holds it to the mounted routes
 * ({@link ApiV1Routes}) both ways and checks it against the OpenAPI schema.
 */
public final class OpenApiDocument {

  public static final String RESOURCE = "openapi/v1.json";

  private final JsonObject document;
  private final Buffer encoded;

  private OpenApiDocument(JsonObject document) {
    this.document = document;
    this.encoded = Buffer.buffer(document.encodePrettily());
  }

  /** Reads the document; a class-path read, so call it from a worker. */
  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new OpenApiDocument(new JsonObject(Buffer.buffer(in.readAllBytes())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the document. */
  public JsonObject json() {
    return document.copy();
  }

  public void serve(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(encoded);
  }
}
