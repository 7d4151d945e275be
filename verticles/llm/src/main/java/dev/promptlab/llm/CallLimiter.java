package dev.promptlab.llm;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * At most {@code maxRunning} tasks at a time, the others waiting in arrival order, at most {@code maxWaiting} of
 * them. Never blocks: a waiting task is started on its caller's context when a running one ends. Callers may be on
 * several event loops, hence the lock (held only to count, never while a task runs).
 */
final class CallLimiter {

  private record Waiting<T>(Context context, Supplier<Future<T>> task, Promise<T> promise) {
  }

  private final Vertx vertx;
  private final int maxRunning;
  private final int maxWaiting;
  private final Deque<Waiting<?>> waiting = new ArrayDeque<>();
  private int running;
  private boolean closed;

  CallLimiter(Vertx vertx, int maxRunning, int maxWaiting) {
    this.vertx = vertx;
    this.maxRunning = maxRunning;
    this.maxWaiting = maxWaiting;
  }

  /**
   * Runs {@code task} now or once a slot is free. Fails with {@link ChatFailure.Kind#OVERLOADED} when
   * {@code maxWaiting} tasks already wait, and with {@link ChatFailure.Kind#CLOSED} once closed.
   */
  <T> Future<T> submit(Supplier<Future<T>> task) {
    Promise<T> promise = Promise.promise();
    boolean start;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(closedFailure());
      }
      start = running < maxRunning;
      if (start) {
        running++;
      } else if (waiting.size() >= maxWaiting) {
        return Future.failedFuture(new ChatFailure(ChatFailure.Kind.OVERLOADED, 0, 0, "the LLM client already has "
          + maxRunning + " calls in flight and " + waiting.size() + " waiting; this call was not queued"));
      } else {
        waiting.add(new Waiting<>(vertx.getOrCreateContext(), task, promise));
      }
    }
    if (start) {
      run(task, promise);
    }
    return promise.future();
  }

  private <T> void run(Supplier<Future<T>> task, Promise<T> promise) {
    Future<T> result;
    try {
      result = task.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      release();
      promise.handle(done);
    });
  }

  /** Hands the slot to the oldest waiting task, or frees it. */
  private void release() {
    Waiting<?> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      start(next);
    }
  }

  private <T> void start(Waiting<T> next) {
    next.context().runOnContext(v -> run(next.task(), next.promise()));
  }

  synchronized int running() {
    return running;
  }

  synchronized int waiting() {
    return waiting.size();
  }

  /** Fails every waiting task and refuses new ones; running tasks end on their own. */
  void close() {
    List<Waiting<?>> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
    }
    dropped.forEach(w -> w.context().runOnContext(v -> w.promise().tryFail(closedFailure())));
  }

  private static ChatFailure closedFailure() {
    return new ChatFailure(ChatFailure.Kind.CLOSED, 0, 0, "the LLM client is closed");
  }
}
