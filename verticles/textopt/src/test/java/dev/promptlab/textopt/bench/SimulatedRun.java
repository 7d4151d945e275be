package dev.promptlab.textopt.bench;

import dev.promptlab.textopt.meta.GainObservation;
import dev.promptlab.textopt.meta.Proposal;
import dev.promptlab.textopt.meta.ProposalFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * One run of the loop's rule on a {@link HiddenTask}: evaluate the incumbent on the held-out rows, then per iteration
 * show the optimizer a sample of its failures, take K candidates, evaluate them in the arm's order and keep one that
 * beats the incumbent by more than the margin; stop at the target, after {@code patience} iterations without a keep,
 * at the iteration limit, or when the evaluation budget cannot pay for another candidate. An evaluation is one
 * held-out row answered under one prompt; a prompt evaluated before costs nothing again (the response cache).
 */
final class SimulatedRun {

  private static final int FAILURES_SHOWN = 5;

  /** What one run spent and reached. */
  record Outcome(long evaluations, boolean reached, long evaluationsToTarget, double measured, double quality,
                 int iterations, int kept, int keptFirst, int modelledIterations, String stopReason,
                 List<List<Evaluated>> batches) {
  }

  /** An evaluated candidate: its features, the gain measured on the held-out rows and its hidden gain. */
  record Evaluated(double[] features, double measuredGain, double hiddenGain) {
  }

  private final LoopSettings settings;
  private final SimulatedOptimizer optimizer;

  SimulatedRun(LoopSettings settings, SimulatedOptimizer optimizer) {
    this.settings = settings;
    this.optimizer = optimizer;
  }

  /**
   * Runs the loop. Proposals are drawn from a generator seeded by (run, iteration, incumbent), so two arms holding
   * the same incumbent at the same iteration see the same candidates: the arms differ only by their order and rule.
   *
   * @param history the arm's evaluated candidates so far, over earlier runs too; this run's are appended
   */
  Outcome run(HiddenTask task, SimPrompt initial, long runSeed, ArmOrder arm, List<GainObservation> history) {
    Map<String, Double> cache = new HashMap<>();
    long[] spent = {0};
    SimPrompt incumbent = initial;
    double score = evaluate(task, incumbent, cache, spent);
    int sinceKeep = 0;
    int kept = 0;
    int keptFirst = 0;
    int modelled = 0;
    int iteration = 0;
    String stop = "max_iterations";
    List<List<Evaluated>> batches = new ArrayList<>();
    if (score >= settings.target()) {
      return new Outcome(spent[0], true, spent[0], score, task.quality(incumbent), 0, 0, 0, 0, "threshold",
        List.of());
    }
    while (iteration < settings.maxIterations()) {
      iteration++;
      Random random = new Random(HiddenTask.mix(runSeed, iteration, incumbent.key().hashCode()));
      List<HiddenTask.Row> failures = failures(task, incumbent, random);
      String failureText = failures.stream().map(r -> "input: " + r.texts().input() + "\nexpected: "
        + r.texts().expected() + "\ngot: " + r.texts().wrong()).collect(Collectors.joining("\n\n"));
      List<SimPrompt> candidates = optimizer.propose(incumbent, failures, settings.candidates(), task, random);
      List<Proposal> proposals = new ArrayList<>();
      for (int c = 0; c < candidates.size(); c++) {
        proposals.add(new Proposal(incumbent.state(), candidates.get(c).state(), failureText, score, iteration, c,
          candidates.size()));
      }
      ArmOrder.Ordered ordered = arm.order(proposals, candidates, task, history);
      modelled += ordered.modelled() ? 1 : 0;
      int best = -1;
      double bestGain = settings.margin();
      boolean outOfBudget = false;
      int position = 0;
      int bestPosition = -1;
      List<Evaluated> batch = new ArrayList<>();
      double incumbentQuality = task.quality(incumbent);
      for (int c : ordered.order()) {
        SimPrompt candidate = candidates.get(c);
        if (!cache.containsKey(candidate.key()) && spent[0] + settings.heldOutRows() > settings.budget()) {
          outOfBudget = true;
          break;
        }
        double gain = evaluate(task, candidate, cache, spent) - score;
        double[] features = ProposalFeatures.of(proposals.get(c));
        history.add(new GainObservation(features, gain));
        batch.add(new Evaluated(features, gain, task.quality(candidate) - incumbentQuality));
        if (gain > bestGain) {
          best = c;
          bestGain = gain;
          bestPosition = position;
        }
        position++;
        if (best >= 0 && arm.stopsAtFirst()) {
          break;
        }
      }
      batches.add(batch);
      if (best >= 0) {
        incumbent = candidates.get(best);
        score = cache.get(incumbent.key());
        kept++;
        keptFirst += bestPosition == 0 ? 1 : 0;
        sinceKeep = 0;
      } else {
        sinceKeep++;
      }
      if (score >= settings.target()) {
        stop = "threshold";
        break;
      }
      if (outOfBudget) {
        stop = "budget";
        break;
      }
      if (sinceKeep >= settings.patience()) {
        stop = "patience";
        break;
      }
    }
    boolean reached = "threshold".equals(stop);
    return new Outcome(spent[0], reached, reached ? spent[0] : -1, score, task.quality(incumbent), iteration, kept,
      keptFirst, modelled, stop, batches);
  }

  private double evaluate(HiddenTask task, SimPrompt prompt, Map<String, Double> cache, long[] spent) {
    return cache.computeIfAbsent(prompt.key(), key -> {
      spent[0] += settings.heldOutRows();
      boolean[] right = task.answers(prompt);
      int count = 0;
      for (boolean r : right) {
        count += r ? 1 : 0;
      }
      return count / (double) right.length;
    });
  }

  private static List<HiddenTask.Row> failures(HiddenTask task, SimPrompt incumbent, Random random) {
    boolean[] right = task.answers(incumbent);
    List<HiddenTask.Row> wrong = new ArrayList<>();
    for (int i = 0; i < right.length; i++) {
      if (!right[i]) {
        wrong.add(task.heldOut().get(i));
      }
    }
    java.util.Collections.shuffle(wrong, random);
    return wrong.subList(0, Math.min(FAILURES_SHOWN, wrong.size()));
  }
}
