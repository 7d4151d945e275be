package dev.promptlab.http.training;

import dev.promptlab.contract.RatedOption;
import java.util.List;

/** What a rating transaction stored: the experiment's mode, the new ratings and the mode's sample count after it. */
public record RatingCommit(String mode, List<RatedOption> stored, int repeated, int samplesCollected) {

  public RatingCommit {
    stored = List.copyOf(stored);
  }
}
