package dev.promptlab.textopt.run;

import dev.promptlab.contract.TextRunFailure;
import java.util.List;

/**
 * A candidate of an earlier iteration (of this run or another with the same metric) that was evaluated: what the
 * meta-model learns from.
 *
 * @param runId its run
 * @param parent the incumbent it rewrote
 * @param candidate its prompt state
 * @param failures the failures the optimizer model was shown when it proposed it
 * @param parentScore the incumbent's score on the evaluation rows
 * @param iteration its iteration, from 1
 * @param rank its place in the optimizer model's answer, from 0
 * @param proposals how many candidates that answer had
 * @param gain its score on the evaluation rows minus the incumbent's
 */
public record PastCandidate(long runId, PromptState parent, PromptState candidate, List<TextRunFailure> failures,
                            double parentScore, int iteration, int rank, int proposals, double gain) {
}
