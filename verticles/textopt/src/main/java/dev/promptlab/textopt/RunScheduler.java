package dev.promptlab.textopt;

import dev.promptlab.contract.TextRun;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which runs are carried out: at most {@code max_parallel_runs} at once, the oldest queued first. On start
 * it resumes the runs a stopped verticle left running (all of them: they were admitted already), then fills the free
 * slots from the queue; each run that ends frees its slot for the next. Used on the verticle's event loop only.
 */
final class RunScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(RunScheduler.class);

  /** A run being carried out, and how to reach it. */
  record Active(RunControl control, Future<Void> done) {
  }

  private final RunStore store;
  private final int maxParallel;
  private final LongFunction<Active> launcher;
  private final Map<Long, Active> active = new HashMap<>();
  private boolean claiming;
  private boolean stopping;

  /** @param launcher starts the run with that id and answers how to reach it */
  RunScheduler(RunStore store, int maxParallel, LongFunction<Active> launcher) {
    this.store = store;
    this.maxParallel = maxParallel;
    this.launcher = launcher;
  }

  /** Resumes the runs left running, then starts queued ones while slots are free. */
  Future<Void> start() {
    return store.running().map(ids -> {
      ids.forEach(id -> {
        LOG.info("textopt: resuming run {}", id);
        launch(id);
      });
      fill();
      return null;
    });
  }

  /** Claims queued runs while a slot is free (one claim at a time, so the limit holds). */
  void fill() {
    if (claiming || stopping || active.size() >= maxParallel) {
      return;
    }
    claiming = true;
    store.claimNext().onComplete(claimed -> {
      claiming = false;
      if (claimed.failed()) {
        LOG.warn("textopt: no queued run could be claimed: {}", claimed.cause().toString());
        return;
      }
      if (claimed.result().isPresent() && !stopping) {
        Active started = launch(claimed.result().get());
        started.control().changed(TextRun.RUNNING, TextRun.QUEUED, null);
        fill();
      }
    });
  }

  private Active launch(long id) {
    Active run = launcher.apply(id);
    active.put(id, run);
    run.done().onComplete(ended -> {
      active.remove(id);
      if (ended.failed()) {
        LOG.warn("textopt: run {} ended without its final state stored: {}", id, ended.cause().toString());
      }
      fill();
    });
    return run;
  }

  /** Tells a running run it was cancelled; it stops before its next model call. */
  void cancelled(long id) {
    Active run = active.get(id);
    if (run != null) {
      run.control().cancel();
    }
  }

  /** Stops every run before its next model call; they stay running in the database and resume on the next start. */
  void stop() {
    stopping = true;
    active.values().forEach(run -> run.control().stop());
  }
}
