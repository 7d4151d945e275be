package dev.promptlab.http.web;

import io.vertx.core.Future;

/** Numeric ids taken from a URL path: one that is not a number names nothing, so it is a 404, not a 400. */
public final class PathIds {

  private PathIds() {
  }

  /** The id in {@code text}, or a failed future with the 404 "no {@code what} {@code text}". */
  public static Future<Long> number(String text, String what) {
    try {
      return Future.succeededFuture(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Future.failedFuture(ApiError.notFound("no " + what + " " + text));
    }
  }
}
