package dev.promptlab.http.training;

import java.util.List;

/**
 * How an experiment's two options were chosen ({@code two-options}, or {@code reward-model}: by the reward model's
 * predictions) and every candidate it rendered when that was more than two (empty otherwise).
 */
public record ExperimentSelection(String selection, List<StoredCandidate> candidates) {

  public ExperimentSelection {
    candidates = List.copyOf(candidates);
  }
}
