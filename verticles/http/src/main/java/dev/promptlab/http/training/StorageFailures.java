package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Database failures become a 503 that says what could not be stored, never the driver's text. */
final class StorageFailures {

  private static final Logger LOG = LoggerFactory.getLogger(StorageFailures.class);

  private StorageFailures() {
  }

  static <T> Future<T> explain(Throwable failure, String what) {
    if (failure instanceof ApiError) {
      return Future.failedFuture(failure);
    }
    LOG.error("database failure: {}", what, failure);
    return Future.failedFuture(new ApiError(503, "storage_failed", what));
  }
}
