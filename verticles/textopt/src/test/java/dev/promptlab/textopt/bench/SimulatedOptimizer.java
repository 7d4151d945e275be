package dev.promptlab.textopt.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The optimizer model of the simulation: from the incumbent and a sample of its failures it proposes K candidates,
 * each one to three edits away. An edit adds an instruction (half the time aimed at one of the shown failures: a
 * worked example from it, or an instruction quoting it, or a library instruction about its problem; sometimes
 * wrong-headed), drops one, or rewrites one into another about the same problem (which may help or hurt). Its order
 * is worth something but not much: candidates are sorted by their hidden quality plus noise of sd
 * {@code rankNoise}.
 */
final class SimulatedOptimizer {

  private static final int ATTEMPTS = 50;

  private final double rankNoise;

  SimulatedOptimizer(double rankNoise) {
    this.rankNoise = rankNoise;
  }

  /** The optimizer's proposals, in its order (its first choice first). */
  List<SimPrompt> propose(SimPrompt parent, List<HiddenTask.Row> failures, int k, HiddenTask task,
                          Random random) {
    List<SimPrompt> candidates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(parent.key());
    for (int attempt = 0; candidates.size() < k && attempt < ATTEMPTS * k; attempt++) {
      SimPrompt candidate = parent;
      double edits = random.nextDouble();
      int count = edits < 0.6 ? 1 : edits < 0.9 ? 2 : 3;
      for (int e = 0; e < count; e++) {
        candidate = edit(candidate, failures, random);
      }
      if (seen.add(candidate.key())) {
        candidates.add(candidate);
      }
    }
    List<double[]> keyed = new ArrayList<>();
    for (int c = 0; c < candidates.size(); c++) {
      keyed.add(new double[] {c, task.quality(candidates.get(c)) + rankNoise * random.nextGaussian()});
    }
    keyed.sort(Comparator.comparingDouble((double[] entry) -> entry[1]).reversed());
    return keyed.stream().map(entry -> candidates.get((int) entry[0])).toList();
  }

  private SimPrompt edit(SimPrompt prompt, List<HiddenTask.Row> failures, Random random) {
    List<Sentence> sentences = new ArrayList<>(prompt.sentences());
    List<Integer> removable = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      if (!sentences.get(i).core()) {
        removable.add(i);
      }
    }
    double kind = random.nextDouble();
    if (kind < 0.2 && !removable.isEmpty()) {
      sentences.remove((int) removable.get(random.nextInt(removable.size())));
    } else if (kind < 0.45 && !removable.isEmpty()) {
      int at = removable.get(random.nextInt(removable.size()));
      String group = sentences.get(at).group();
      List<Sentence> peers = InstructionLibrary.SENTENCES.stream()
        .filter(s -> s.group().equals(group) && !prompt.has(s.text())).toList();
      if (peers.isEmpty()) {
        peers = InstructionLibrary.SENTENCES.stream().filter(s -> !prompt.has(s.text())).toList();
      }
      sentences.set(at, peers.get(random.nextInt(peers.size())));
    } else {
      Sentence added = addition(prompt, failures, random);
      if (!prompt.has(added.text())) {
        sentences.add(added);
      }
    }
    return new SimPrompt(sentences);
  }

  private Sentence addition(SimPrompt prompt, List<HiddenTask.Row> failures, Random random) {
    if (!failures.isEmpty() && random.nextDouble() < 0.5) {
      HiddenTask.Row row = failures.get(random.nextInt(failures.size()));
      double how = random.nextDouble();
      if (how < 0.35) {
        return InstructionLibrary.example(row.mode(), row.texts(), random.nextDouble() < 0.8);
      }
      if (how < 0.7) {
        return InstructionLibrary.targeted(row.mode(), row.texts(), random.nextDouble() < 0.2);
      }
      // A library instruction about the failure's problem, in the right direction three times out of four.
      boolean helpful = random.nextDouble() < 0.75;
      List<Sentence> about = InstructionLibrary.SENTENCES.stream()
        .filter(s -> helpful ? s.effects()[row.mode().ordinal()] > 0 : s.effects()[row.mode().ordinal()] < 0)
        .filter(s -> !prompt.has(s.text()))
        .toList();
      if (!about.isEmpty()) {
        return about.get(random.nextInt(about.size()));
      }
    }
    List<Sentence> fresh = InstructionLibrary.SENTENCES.stream().filter(s -> !prompt.has(s.text())).toList();
    return fresh.get(random.nextInt(fresh.size()));
  }
}
