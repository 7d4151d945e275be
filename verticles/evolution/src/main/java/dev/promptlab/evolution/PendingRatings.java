package dev.promptlab.evolution;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs the pass that applies pending ratings one at a time. A pass applies every rating not applied when it
 * starts, so the requests that arrive while one runs are all served by a single follow-up pass: one writer, and
 * a burst of ratings costs two passes instead of one each. Confined to the verticle's event loop.
 */
final class PendingRatings {

  private final Supplier<Future<Void>> pass;
  private Future<Void> running;
  private Promise<Void> followUp;

  PendingRatings(Supplier<Future<Void>> pass) {
    this.pass = pass;
  }

  /** Completes when a pass that started after this call has ended, with that pass's outcome. */
  Future<Void> apply() {
    if (running == null) {
      Promise<Void> result = Promise.promise();
      start(result);
      return result.future();
    }
    if (followUp == null) {
      followUp = Promise.promise();
    }
    return followUp.future();
  }

  /** Completes (never fails) once no pass runs and none is waiting to. */
  Future<Void> settled() {
    Future<Void> last = followUp != null ? followUp.future() : running;
    return last == null ? Future.succeededFuture() : last.transform(done -> settled());
  }

  private void start(Promise<Void> result) {
    Future<Void> attempt;
    try {
      attempt = pass.get();
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    Future<Void> current = attempt;
    running = current;
    current.onComplete(done -> {
      if (running == current) {
        running = null;
      }
      if (followUp != null) {
        Promise<Void> next = followUp;
        followUp = null;
        start(next);
      }
      result.handle(done);
    });
  }
}
