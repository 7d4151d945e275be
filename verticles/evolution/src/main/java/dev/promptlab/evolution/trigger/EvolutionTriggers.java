package dev.promptlab.evolution.trigger;

/**
 * When an evolution starts on its own (seed 002), evaluated after every batch of ratings:
 * <ul>
 *   <li><b>periodic</b> — at every {@code everySamples}-th sample while the current version's average rating is
 *       below {@code periodicBelow} (or unknown). A checkpoint passed while busy or above the bar is skipped:
 *       the next one is the next multiple;</li>
 *   <li><b>low performance</b> — after {@code lowPerformanceAfter} samples, while the current version's average is
 *       below {@code lowPerformanceBelow};</li>
 *   <li><b>plateau</b> — the best average seen has not improved for {@code plateauSamples} samples (and is below
 *       {@code periodicBelow}).</li>
 * </ul>
 * Never while an evolution runs or an A/B test is open, and not within {@code minSamplesBetween} samples of
 * the end of the previous evolution or A/B test. "Best rating" is the current version's average rating: the
 * current version is the best one known, and an average is not fooled by one lucky vote.
 */
public final class EvolutionTriggers {

  public enum Trigger {
    PERIODIC("periodic"), LOW_PERFORMANCE("low_performance"), PLATEAU("plateau"), MANUAL("manual");

    private final String key;

    Trigger(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  /** The thresholds. */
  public record Settings(int everySamples, double periodicBelow, int lowPerformanceAfter, double lowPerformanceBelow,
                         int plateauSamples, int minSamplesBetween) {
  }

  /** What is remembered between evaluations (the evolution_state row). */
  public record State(Integer nextEvolutionAtSample, Double bestAvgRating, int bestAtSample,
                      int lastFinishedAtSample) {
  }

  /** What is true now. {@code currentAvgRating} is null before the current version has a rated sample. */
  public record Now(int samples, Double currentAvgRating, boolean busy) {
  }

  /** The verdict: the trigger that fires (null: none) and the state to remember. */
  public record Outcome(Trigger fired, State next) {
  }

  private EvolutionTriggers() {
  }

  public static int nextCheckpoint(Settings settings, State state) {
    return state.nextEvolutionAtSample() == null ? settings.everySamples() : state.nextEvolutionAtSample();
  }

  public static Outcome evaluate(Settings settings, State state, Now now) {
    Double best = state.bestAvgRating();
    int bestAt = state.bestAtSample();
    if (now.currentAvgRating() != null && (best == null || now.currentAvgRating() > best + 1e-9)) {
      best = now.currentAvgRating();
      bestAt = now.samples();
    }
    int checkpoint = nextCheckpoint(settings, state);
    boolean atCheckpoint = now.samples() >= checkpoint;
    boolean belowBar = now.currentAvgRating() == null || now.currentAvgRating() < settings.periodicBelow();
    boolean free = !now.busy() && now.samples() - state.lastFinishedAtSample() >= settings.minSamplesBetween();
    Trigger fired = null;
    if (free) {
      if (atCheckpoint && belowBar) {
        fired = Trigger.PERIODIC;
      } else if (now.samples() >= settings.lowPerformanceAfter() && now.currentAvgRating() != null
        && now.currentAvgRating() < settings.lowPerformanceBelow()) {
        fired = Trigger.LOW_PERFORMANCE;
      } else if (now.samples() - bestAt >= settings.plateauSamples() && belowBar) {
        fired = Trigger.PLATEAU;
      }
    }
    int nextCheckpoint = atCheckpoint
      ? (now.samples() / settings.everySamples() + 1) * settings.everySamples() : checkpoint;
    if (fired != null) {
      // A fresh plateau window starts with each evolution.
      bestAt = now.samples();
    }
    return new Outcome(fired, new State(nextCheckpoint, best, bestAt,
      fired != null ? now.samples() : state.lastFinishedAtSample()));
  }
}
