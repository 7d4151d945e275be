package dev.promptlab.textopt.run;

import dev.promptlab.contract.TextRunFailure;
import java.util.List;

/**
 * Decides in which order a run evaluates the candidates of an iteration, and may predict each one's gain over the
 * incumbent. Plain Java, no I/O: it is called once per iteration, on a worker, and its order is stored with the
 * candidates so a resumed run keeps it.
 *
 * <p>With {@code textopt.meta_model} on, the run evaluates candidates in this order and stops at the first that
 * beats the incumbent by the margin; the others are recorded as not evaluated, with their predicted gain.
 */
public interface CandidateOrder {

  /** The optimizer model's order, nothing predicted: every candidate is evaluated. */
  CandidateOrder PROPOSAL_ORDER = (context, candidates) -> candidates.stream()
    .map(candidate -> new RankedCandidate(candidate, null)).toList();

  /**
   * The candidates in evaluation order, each exactly once.
   *
   * @param candidates in the optimizer model's order
   */
  List<RankedCandidate> order(OrderContext context, List<Candidate> candidates);

  /**
   * What an ordering may know of the iteration: the run, its dataset and metric, the iteration, the incumbent with
   * its score on the evaluation rows, the margin a candidate must beat it by, the failures the optimizer model was
   * shown, and the evaluated candidates of earlier iterations with the same metric, oldest first (loaded only when
   * the meta-model is on; empty otherwise).
   */
  record OrderContext(long runId, long datasetId, String metric, int iteration, PromptState incumbent,
                      double incumbentScore, double margin, List<TextRunFailure> failures,
                      List<PastCandidate> history) {

    public OrderContext {
      failures = List.copyOf(failures);
      history = List.copyOf(history);
    }
  }

  /**
   * A proposed prompt state.
   *
   * @param ordinal its place in the optimizer model's answer, from 1
   * @param rationale what the optimizer model said it changed and why, or null
   */
  record Candidate(int ordinal, PromptState state, String rationale) {
  }

  /** A candidate with the gain predicted for it, or null when the ordering predicts none. */
  record RankedCandidate(Candidate candidate, Double predictedGain) {
  }
}
