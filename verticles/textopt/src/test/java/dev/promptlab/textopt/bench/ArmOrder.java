package dev.promptlab.textopt.bench;

import dev.promptlab.textopt.meta.CandidateRanker;
import dev.promptlab.textopt.meta.CandidateRanking;
import dev.promptlab.textopt.meta.GainObservation;
import dev.promptlab.textopt.meta.Proposal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** How one arm of the benchmark orders an iteration's candidates, and whether it stops at the first kept. */
interface ArmOrder {

  /** The proposal indices in evaluation order. */
  Ordered order(List<Proposal> proposals, List<SimPrompt> candidates, HiddenTask task,
                List<GainObservation> history);

  /** Whether evaluation stops at the first candidate that clears the margin (else all are evaluated). */
  boolean stopsAtFirst();

  record Ordered(List<Integer> order, boolean modelled) {
  }

  /** An arm's ordering alone, as {@link #order}. */
  interface Ordering {
    Ordered order(List<Proposal> proposals, List<SimPrompt> candidates, HiddenTask task,
                  List<GainObservation> history);
  }

  /** The loop with the meta-model off: every candidate, in proposal order; the best that clears the margin. */
  static ArmOrder allInProposalOrder() {
    return of((p, c, t, h) -> proposalOrder(c), false);
  }

  /** The rule of the meta-model's loop without its ranking: proposal order, stop at the first kept. */
  static ArmOrder firstInProposalOrder() {
    return of((p, c, t, h) -> proposalOrder(c), true);
  }

  /** The meta-model's order, refit on the arm's history every iteration; stop at the first kept. */
  static ArmOrder metaModel(CandidateRanker ranker) {
    return of((p, c, t, h) -> {
      CandidateRanking ranking = ranker.rank(p, h);
      return new Ordered(ranking.order(), ranking.modelled());
    }, true);
  }

  /** A bound no model reaches: the candidates in the order of their hidden quality; stop at the first kept. */
  static ArmOrder oracle() {
    return of((p, c, t, h) -> {
      List<Integer> order = new ArrayList<>(IntStream.range(0, c.size()).boxed().toList());
      double[] quality = c.stream().mapToDouble(t::quality).toArray();
      order.sort(Comparator.comparingDouble((Integer i) -> quality[i]).reversed());
      return new Ordered(order, false);
    }, true);
  }

  private static Ordered proposalOrder(List<SimPrompt> candidates) {
    return new Ordered(IntStream.range(0, candidates.size()).boxed().toList(), false);
  }

  private static ArmOrder of(Ordering ordering, boolean stopsAtFirst) {
    return new ArmOrder() {
      @Override
      public Ordered order(List<Proposal> proposals, List<SimPrompt> candidates, HiddenTask task,
                           List<GainObservation> history) {
        return ordering.order(proposals, candidates, task, history);
      }

      @Override
      public boolean stopsAtFirst() {
        return stopsAtFirst;
      }
    };
  }
}
