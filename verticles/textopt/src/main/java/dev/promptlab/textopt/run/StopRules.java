package dev.promptlab.textopt.run;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * When a run keeps a candidate and when it stops, apart from any I/O.
 *
 * <p>A candidate replaces the incumbent only when its score on the evaluation rows (held out from the optimizer
 * model, which only sees training rows) is higher by at least {@code margin}, and strictly higher when the margin is
 * 0: a tie is noise, not progress. The run stops with {@code threshold} once the incumbent reaches the target,
 * {@code patience} after that many iterations in a row without an accepted candidate, {@code max_iterations} after
 * the last iteration, and {@code budget} once what it spent reaches its budget (checked before each model call, so
 * calls already in flight may take it slightly past).
 *
 * @param budgetUsd null for no budget
 */
public record StopRules(double targetThreshold, int patience, int maxIterations, double margin,
                        BigDecimal budgetUsd) {

  public static final String THRESHOLD = "threshold";
  public static final String PATIENCE = "patience";
  public static final String MAX_ITERATIONS = "max_iterations";
  public static final String BUDGET = "budget";
  public static final String CANCELLED = "cancelled";
  public static final String ERROR = "error";

  /** Whether a candidate scoring {@code candidate} replaces an incumbent scoring {@code incumbent}. */
  public boolean beats(double candidate, double incumbent) {
    return candidate > incumbent && candidate - incumbent >= margin;
  }

  /** Whether the incumbent's score ends the run before another proposal is asked for. */
  public boolean reached(double incumbentScore) {
    return incumbentScore >= targetThreshold;
  }

  /** Whether the budget forbids another model call after spending {@code spentUsd}. */
  public boolean budgetSpent(BigDecimal spentUsd) {
    return budgetUsd != null && spentUsd.compareTo(budgetUsd) >= 0;
  }

  /**
   * Why the run stops after iteration {@code n} was decided, or empty when it goes on.
   *
   * @param staleIterations iterations in a row, this one included, that accepted no candidate
   */
  public Optional<String> afterDecision(int n, double incumbentScore, int staleIterations) {
    if (reached(incumbentScore)) {
      return Optional.of(THRESHOLD);
    }
    if (staleIterations >= patience) {
      return Optional.of(PATIENCE);
    }
    if (n >= maxIterations) {
      return Optional.of(MAX_ITERATIONS);
    }
    return Optional.empty();
  }

  /** The run's status for a stop reason: the threshold succeeds, the other rules stop. */
  public static String statusOf(String stopReason) {
    return switch (stopReason) {
      case THRESHOLD -> "succeeded";
      case PATIENCE, MAX_ITERATIONS, BUDGET -> "stopped";
      case CANCELLED -> "cancelled";
      case ERROR -> "failed";
      default -> throw new IllegalArgumentException("unknown stop reason " + stopReason);
    };
  }
}
