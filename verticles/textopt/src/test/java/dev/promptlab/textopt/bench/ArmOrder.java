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

  /** The loop with the meta-model off: every candidate, in proposal order; the best that clears the margin. */
  static ArmOrder allInProposalOrder() {
    return new ArmOrder() {
      @Override
      public Ordered order(List<Proposal> p, List<SimPrompt> c, HiddenTask t, List<GainObservation> h) {
        return new Ordered(IntStream.range(0, c.size()).boxed().toList(), false);
      }

      @Override
      public boolean stopsAtFirst() {
        return false;
      }
    };
  }

  /** The rule of the meta-model's loop without its ranking: proposal order, stop at the first kept. */
  static ArmOrder firstInProposalOrder() {
    return new ArmOrder() {
      @Override
      public Ordered order(List<Proposal> p, List<SimPrompt> c, HiddenTask t, List<GainObservation> h) {
        return new Ordered(IntStream.range(0, c.size()).boxed().toList(), false);
      }

      @Override
      public boolean stopsAtFirst() {
        return true;
      }
    };
  }

  /** The meta-model's order, refit on the arm's history every iteration; stop at the first kept. */
  static ArmOrder metaModel(CandidateRanker ranker) {
    return new ArmOrder() {
      @Override
      public Ordered order(List<Proposal> p, List<SimPrompt> c, HiddenTask t, List<GainObservation> h) {
        CandidateRanking ranking = ranker.rank(p, h);
        return new Ordered(ranking.order(), ranking.modelled());
      }

      @Override
      public boolean stopsAtFirst() {
        return true;
      }
    };
  }

  /** A bound no model reaches: the candidates in the order of their hidden quality; stop at the first kept. */
  static ArmOrder oracle() {
    return new ArmOrder() {
      @Override
      public Ordered order(List<Proposal> p, List<SimPrompt> c, HiddenTask t, List<GainObservation> h) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, c.size()).boxed().toList());
        double[] quality = c.stream().mapToDouble(t::quality).toArray();
        order.sort(Comparator.comparingDouble((Integer i) -> quality[i]).reversed());
        return new Ordered(order, false);
      }

      @Override
      public boolean stopsAtFirst() {
        return true;
      }
    };
  }
}
