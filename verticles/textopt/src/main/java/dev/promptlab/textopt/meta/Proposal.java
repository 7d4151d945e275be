package dev.promptlab.textopt.meta;

import java.util.Objects;

/**
 * One candidate prompt state the optimizer model proposed, with what the meta-model may know of it before it is
 * evaluated.
 *
 * @param parent the incumbent the candidate rewrites
 * @param candidate the proposed state
 * @param failureSample the failures shown to the optimizer model when it wrote the candidate (inputs, expected and
 *     obtained answers, as one text); empty when none were shown
 * @param parentScore the incumbent's score on the held-out rows, in [0, 1]
 * @param iteration the loop's iteration, from 1
 * @param optimizerRank where the optimizer model put the candidate among its proposals, from 0
 * @param proposals how many candidates the optimizer model proposed in that iteration (K)
 */
public record Proposal(PromptState parent, PromptState candidate, String failureSample, double parentScore,
                       int iteration, int optimizerRank, int proposals) {

  public Proposal {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(failureSample, "failureSample");
    if (!(parentScore >= 0 && parentScore <= 1)) {
      throw new IllegalArgumentException("parentScore must be in [0, 1], got " + parentScore);
    }
    if (iteration < 1) {
      throw new IllegalArgumentException("iteration counts from 1, got " + iteration);
    }
    if (proposals < 1 || optimizerRank < 0 || optimizerRank >= proposals) {
      throw new IllegalArgumentException("optimizerRank must be in [0, " + proposals + "), got " + optimizerRank
        + " of " + proposals);
    }
  }
}
