package dev.promptlab.textopt;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.TextRunChanged;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextoptModelCalled;
import dev.promptlab.textopt.run.StopRules;
import io.vertx.core.eventbus.EventBus;
import java.math.BigDecimal;

/**
 * One running run's live figures and switches, on its verticle's event loop: what it has spent, where it is, and
 * whether it must stop before its next model call. Every change is published as {@link TextRunChanged}.
 */
final class RunControl {

  private final long runId;
  private final EventBus bus;
  private StopRules rules;
  private boolean cancelled;
  private boolean stopping;
  private BigDecimal costUsd = BigDecimal.ZERO;
  private long tokens;
  private int iteration;
  private TextRunProgress progress = new TextRunProgress("queued", 0, 0);
  private Double bestScore;

  RunControl(long runId, EventBus bus) {
    this.runId = runId;
    this.bus = bus;
  }

  long runId() {
    return runId;
  }

  void rules(StopRules value) {
    rules = value;
  }

  void cancel() {
    cancelled = true;
  }

  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  /** Throws when no further model call may be made: cancelled, stopping, or the budget is spent. */
  void mayCall() {
    if (stopping) {
      throw new RunInterrupted(RunInterrupted.Why.STOPPING);
    }
    if (cancelled) {
      throw new RunInterrupted(RunInterrupted.Why.CANCELLED);
    }
    if (rules != null && rules.budgetSpent(costUsd)) {
      throw new RunInterrupted(RunInterrupted.Why.BUDGET);
    }
  }

  void spent(BigDecimal cost, long total) {
    costUsd = cost;
    tokens = total;
  }

  void iteration(int n) {
    iteration = n;
  }

  void bestScore(Double value) {
    bestScore = value;
  }

  /** The step under way moved; published for live pages. */
  void progress(String step, int done, int total) {
    progress = new TextRunProgress(step, done, total);
    changed("running", "running", null);
  }

  void called(String role, String outcome, boolean cached, int promptTokens, int completionTokens, BigDecimal cost) {
    bus.publish(Addresses.EVENT_TEXTOPT_MODEL_CALLED, new TextoptModelCalled(role, outcome, cached, promptTokens,
      completionTokens, cost.doubleValue()).toJson());
  }

  void changed(String status, String previous, String stopReason) {
    bus.publish(Addresses.EVENT_TEXTOPT_RUN_CHANGED, new TextRunChanged(runId, status, previous, stopReason, progress,
      iteration, costUsd.doubleValue(), tokens, bestScore).toJson());
  }

  void finished(String status, String stopReason) {
    progress = new TextRunProgress("finished", 0, 0);
    changed(status, "running", stopReason);
  }
}
