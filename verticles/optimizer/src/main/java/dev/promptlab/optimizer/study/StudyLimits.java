package dev.promptlab.optimizer.study;

/**
 * The phase-1 rules and safety limits of a study.
 *
 * @param maxSamples           phase 1 ends when this many ratings are in
 * @param targetRating         ... or when the best posterior-mean rating reaches this (once the initial
 *                             design is complete, so a single lucky vote cannot end it)
 * @param improvementStep      rating improvement that still counts as progress (convergence score)
 * @param maxModelObservations above this many ratings the model is not used (cost grows as n^3): random
 *                             fallback, said so
 * @param pendingTtlMs         how long suggested-but-unrated points keep new suggestions away
 * @param exploitLast          the last this-many ratings of phase 1 re-rate the best setting (no exploration)
 * @param exploreEvery         after phase 1, one batch in this many keeps one exploring point; the others
 *                             only exploit
 * @param spreadBelow          while the best setting's estimate is below this many stars, one point of every batch
 *                             with two exploring points goes where a rating would teach the model most about the
 *                             whole box (0: never)
 */
public record StudyLimits(int maxSamples, double targetRating, double improvementStep, int maxModelObservations,
                          long pendingTtlMs, int exploitLast, int exploreEvery, double spreadBelow) {

  /** Limits with the default exploitation schedule. */
  public StudyLimits(int maxSamples, double targetRating, double improvementStep, int maxModelObservations,
                     long pendingTtlMs) {
    this(maxSamples, targetRating, improvementStep, maxModelObservations, pendingTtlMs, 10, 4, 2.5);
  }

  public StudyLimits {
    if (maxSamples < 1) {
      throw new IllegalArgumentException("max_samples must be at least 1");
    }
    if (!(targetRating >= 1 && targetRating <= 5)) {
      throw new IllegalArgumentException("target_rating must be in [1, 5]");
    }
    if (!(improvementStep > 0)) {
      throw new IllegalArgumentException("improvement_step must be positive");
    }
    if (maxModelObservations < 2) {
      throw new IllegalArgumentException("max_model_observations must be at least 2");
    }
    if (pendingTtlMs < 0) {
      throw new IllegalArgumentException("pending_ttl_ms must not be negative");
    }
    if (exploitLast < 0 || exploreEvery < 1) {
      throw new IllegalArgumentException("exploit_last must not be negative, explore_every must be at least 1");
    }
    if (!(spreadBelow >= 0 && spreadBelow <= 5)) {
      throw new IllegalArgumentException("spread_below must be in [0, 5] stars");
    }
  }

  /** The module defaults (see the module README). */
  public static StudyLimits defaults() {
    return new StudyLimits(50, 4.0, 0.25, 2000, 30 * 60 * 1000L, 10, 4, 2.5);
  }
}
