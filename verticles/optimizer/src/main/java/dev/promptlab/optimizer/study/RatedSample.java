package dev.promptlab.optimizer.study;

import dev.promptlab.contract.Observation;

/**
 * A rating as the study learns it: the observation and what, besides the parameters, produced the rated image —
 * its prompt version and experiment, and whether it was an arm of an A/B test. Version and experiment are null
 * when unknown (such a rating is taken as it is).
 */
public record RatedSample(Observation observation, String promptVersion, String experimentId, boolean abTest) {

  /** A rating whose prompt version is unknown. */
  public static RatedSample unversioned(Observation observation) {
    return new RatedSample(observation, null, null, false);
  }
}
