package dev.promptlab.testkit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Probes sent back to back on one Vert.x context: the next as soon as the previous is answered, so from the
 * first probe until {@link #stop()} one is always in flight. Tests order themselves by the probes' answers
 * ({@link #answeredFromNow()}), never by time, so "the server kept answering while X happened" reads: start the
 * probes, wait for one answer, do X, wait for an answer to a probe sent after X, stop, expect no failure.
 * A probe fails when its future fails (map a wrong status to a failed future).
 */
public final class BackToBackProbes {

  private final Context context;
  private final Supplier<Future<?>> probe;
  private final List<String> failures = new ArrayList<>();
  private final TreeMap<Integer, List<Promise<Void>>> waiting = new TreeMap<>();
  private final Promise<Void> stopped = Promise.promise();
  private int sent;
  private int answered;
  private boolean running = true;

  private BackToBackProbes(Context context, Supplier<Future<?>> probe) {
    this.context = context;
    this.probe = probe;
  }

  /** Starts probing on {@code context}. */
  public static BackToBackProbes start(Context context, Supplier<Future<?>> probe) {
    BackToBackProbes probes = new BackToBackProbes(context, probe);
    context.runOnContext(v -> probes.next());
    return probes;
  }

  /** Completes once a probe sent after this call has been answered (successfully or not). */
  public synchronized Future<Void> answeredFromNow() {
    Promise<Void> promise = Promise.promise();
    waiting.computeIfAbsent(sent, n -> new ArrayList<>()).add(promise);
    return promise.future();
  }

  /** Sends no further probe; completes when the one in flight has been answered. */
  public synchronized Future<Void> stop() {
    running = false;
    return stopped.future();
  }

  /** How many probes have been answered. */
  public synchronized int answered() {
    return answered;
  }

  /** One line per failed probe: its number and why. */
  public synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  private void next() {
    int number;
    synchronized (this) {
      if (!running) {
        stopped.tryComplete();
        return;
      }
      number = sent++;
    }
    Future<?> attempt;
    try {
      attempt = probe.get();
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    attempt.onComplete(done -> {
      answered(number, done.succeeded() ? null : "probe " + number + ": " + done.cause());
      // Through the context, not directly: a probe that answers at once must not grow the stack.
      context.runOnContext(v -> next());
    });
  }

  private void answered(int number, String failure) {
    List<Promise<Void>> due = new ArrayList<>();
    synchronized (this) {
      answered++;
      if (failure != null) {
        failures.add(failure);
      }
      var sentBefore = waiting.headMap(number, true);
      sentBefore.values().forEach(due::addAll);
      sentBefore.clear();
    }
    due.forEach(Promise::complete);
  }
}
