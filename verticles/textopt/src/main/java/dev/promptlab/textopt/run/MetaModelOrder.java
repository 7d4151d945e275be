package dev.promptlab.textopt.run;

import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.textopt.meta.CandidateRanker;
import dev.promptlab.textopt.meta.CandidateRanking;
import dev.promptlab.textopt.meta.GainObservation;
import dev.promptlab.textopt.meta.MetaModelSettings;
import dev.promptlab.textopt.meta.Proposal;
import dev.promptlab.textopt.meta.ProposalFeatures;
import dev.promptlab.textopt.meta.RankingScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meta-model as a run's candidate ordering: the candidates in the order of their expected improvement over the
 * margin, as a {@link CandidateRanker} refit on the context's history predicts it, each with its predicted gain. With
 * too little history it keeps the optimizer model's order and predicts nothing, and says so in the log. One instance
 * serves every run of a verticle, from worker threads: it remembers past candidates' features.
 */
public final class MetaModelOrder implements CandidateOrder {

  private static final Logger LOG = LoggerFactory.getLogger(MetaModelOrder.class);

  private final int minHistory;
  private final int maxHistory;
  /** Features of past candidates, least recently used first; bounded at twice the history the model reads. */
  private final Map<PastKey, double[]> known;
  private long computed;

  /**
   * @param minHistory the fewest evaluated past candidates the model learns from
   * @param maxHistory the most, the latest ones
   */
  public MetaModelOrder(int minHistory, int maxHistory) {
    this.minHistory = minHistory;
    this.maxHistory = maxHistory;
    int capacity = 2 * maxHistory;
    this.known = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<PastKey, double[]> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public List<RankedCandidate> order(OrderContext context, List<Candidate> candidates) {
    CandidateRanker ranker = new CandidateRanker(new MetaModelSettings(minHistory, maxHistory, context.margin(),
      RankingScore.EXPECTED_IMPROVEMENT, 1));
    List<GainObservation> history = context.history().stream()
      .map(past -> new GainObservation(features(past), past.gain()))
      .toList();
    String failures = failureText(context.failures());
    List<Proposal> proposals = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      proposals.add(new Proposal(state(context.incumbent()), state(candidates.get(i).state()), failures,
        context.incumbentScore(), context.iteration(), i, candidates.size()));
    }
    CandidateRanking ranking = ranker.rank(proposals, history);
    LOG.info("textopt: run {} iteration {}: {}", context.runId(), context.iteration(), ranking.reason());
    List<RankedCandidate> ranked = new ArrayList<>(candidates.size());
    for (int index : ranking.order()) {
      ranked.add(new RankedCandidate(candidates.get(index),
        ranking.modelled() ? ranking.predictions().get(index).gain() : null));
    }
    return ranked;
  }

  /**
   * A past candidate's features, computed once: what they are read from (prompt versions, an iteration's failures)
   * never changes once stored, and recomputing a full history costs about a millisecond a candidate.
   */
  private double[] features(PastCandidate past) {
    PastKey key = new PastKey(past.runId(), past.iteration(), past.rank());
    synchronized (known) {
      double[] cached = known.get(key);
      if (cached != null) {
        return cached;
      }
    }
    double[] features = ProposalFeatures.of(new Proposal(state(past.parent()), state(past.candidate()),
      failureText(past.failures()), past.parentScore(), past.iteration(), past.rank(), past.proposals()));
    synchronized (known) {
      known.put(key, features);
      computed++;
    }
    return features;
  }

  /** How many past candidates' features were computed rather than remembered (for tests). */
  long computedFeatures() {
    synchronized (known) {
      return computed;
    }
  }

  private record PastKey(long runId, int iteration, int rank) {
  }

  private static dev.promptlab.textopt.meta.PromptState state(PromptState state) {
    return new dev.promptlab.textopt.meta.PromptState(state.systemPrompt(), state.outputPrompt());
  }

  /** The failures as the optimizer model read them: what the meta-model's failure overlap is measured against. */
  static String failureText(List<TextRunFailure> failures) {
    return failures.stream().map(f -> "input: " + f.input() + "\nexpected: " + f.expected() + "\ngot: " + f.got())
      .collect(Collectors.joining("\n\n"));
  }
}
