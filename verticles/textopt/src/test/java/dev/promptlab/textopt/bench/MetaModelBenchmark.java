package dev.promptlab.textopt.bench;

import dev.promptlab.textopt.meta.CandidateRanker;
import dev.promptlab.textopt.meta.GainObservation;
import dev.promptlab.textopt.meta.GainPrediction;
import dev.promptlab.textopt.meta.MetaModelSettings;
import dev.promptlab.textopt.meta.ProposalFeatures;
import dev.promptlab.textopt.meta.RankingScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The meta-model's benchmark (not a test): simulated extraction tasks ({@link HiddenTask}) whose hidden quality
 * depends on what a prompt's sentences say, a simulated optimizer ({@link SimulatedOptimizer}) and the loop's
 * decision rule ({@link SimulatedRun}) run in several arms on the same tasks and seeds:
 *
 * <ul>
 *   <li>{@code off}: the loop with the meta-model off: every candidate evaluated in proposal order, the best that
 *   clears the margin kept;</li>
 *   <li>{@code first}: the on-rule without a model (what the loop does while the history is too thin): proposal
 *   order, stop at the first candidate that clears the margin;</li>
 *   <li>{@code meta-ei}, {@code meta-mean}: the meta-model's order (expected improvement; predicted gain alone),
 *   stop at the first kept;</li>
 *   <li>{@code oracle}: the candidates' hidden quality as the order, stop at the first kept: what a perfect model
 *   would save.</li>
 * </ul>
 *
 * <p>Each seed is a sequence of runs on different tasks (mode mix, effect sizes, starting prompt): an arm's
 * meta-model learns from the candidates it evaluated in earlier runs of the seed, as the server's does from past
 * runs.
 *
 * <pre>
 * mvn -B -ntp -q -pl verticles/textopt -am verify -Pbench-meta -DskipTests [-Dbench.args="--seeds 20 --runs 12"]
 * </pre>
 */
public final class MetaModelBenchmark {

  private MetaModelBenchmark() {
  }

  public static void main(String[] args) {
    int seeds = intArg(args, "--seeds", 20);
    int runs = intArg(args, "--runs", 12);
    int k = intArg(args, "--k", 5);
    int rows = intArg(args, "--rows", 60);
    double margin = doubleArg(args, "--margin", 0.02);
    double target = doubleArg(args, "--target", 0.90);
    int patience = intArg(args, "--patience", 3);
    int maxIterations = intArg(args, "--max-iterations", 10);
    double rankNoise = doubleArg(args, "--rank-noise", 0.10);
    long[] budgets = Arrays.stream(stringArg(args, "--budgets", "0,600").split(",")).mapToLong(Long::parseLong)
      .toArray();

    System.out.printf(Locale.ROOT, "meta-model benchmark: %d seeds x %d runs, K=%d, %d held-out rows, margin %.3f,"
      + " target %.2f, patience %d, max %d iterations, optimizer rank noise %.3f%n", seeds, runs, k, rows, margin,
      target, patience, maxIterations, rankNoise);
    SimulatedOptimizer optimizer = new SimulatedOptimizer(rankNoise);
    MetaModelSettings metaSettings = MetaModelSettings.withMargin(margin)
      .withMinHistory(intArg(args, "--min-history", MetaModelSettings.DEFAULT_MIN_HISTORY));
    Map<String, Supplier<ArmOrder>> arms = new LinkedHashMap<>();
    arms.put("off", ArmOrder::allInProposalOrder);
    arms.put("first", ArmOrder::firstInProposalOrder);
    arms.put("meta-ei", () -> ArmOrder.metaModel(new CandidateRanker(metaSettings)));
    arms.put("meta-mean", () -> ArmOrder.metaModel(new CandidateRanker(
      metaSettings.withScore(RankingScore.MEAN))));
    arms.put("oracle", ArmOrder::oracle);

    for (long budget : budgets) {
      long cap = budget <= 0 ? Long.MAX_VALUE : budget;
      LoopSettings settings = new LoopSettings(k, rows, margin, target, patience, maxIterations, cap);
      SimulatedRun loop = new SimulatedRun(settings, optimizer);
      System.out.println();
      System.out.println(budget <= 0 ? "Budget: the loop's own stops only (no evaluation cap)"
        : "Budget: at most " + budget + " evaluations per run (the incumbent's first evaluation included)");
      Map<String, List<SimulatedRun.Outcome>> outcomes = new LinkedHashMap<>();
      Map<String, double[]> perSeed = new LinkedHashMap<>();
      for (String arm : arms.keySet()) {
        outcomes.put(arm, new ArrayList<>());
        perSeed.put(arm, new double[seeds]);
      }
      for (int seed = 1; seed <= seeds; seed++) {
        for (Map.Entry<String, Supplier<ArmOrder>> arm : arms.entrySet()) {
          ArmOrder order = arm.getValue().get();
          List<GainObservation> history = new ArrayList<>();
          long spent = 0;
          for (int run = 0; run < runs; run++) {
            long runSeed = HiddenTask.mix(seed, run, 0x5eed);
            HiddenTask task = new HiddenTask(runSeed, rows);
            SimulatedRun.Outcome outcome = loop.run(task, initialPrompt(new Random(runSeed)), runSeed, order,
              history);
            outcomes.get(arm.getKey()).add(outcome);
            spent += outcome.evaluations();
          }
          perSeed.get(arm.getKey())[seed - 1] = spent;
        }
      }
      report(outcomes, perSeed, runs);
      if (budget <= 0) {
        rankingQuality(outcomes.get("off"), runs, metaSettings);
      }
    }
  }

  /**
   * How well the meta-model orders candidates it was not trained on: per seed, fit on the candidates the "off" arm
   * evaluated (all K of every iteration) in the first half of the runs, then, in each iteration of the second half,
   * the Spearman correlation between an order and the gains measured and hidden. Beside it: the optimizer's own
   * order, the failure overlap alone, and the hidden gain itself (the measurement's noise is the ceiling).
   */
  private static void rankingQuality(List<SimulatedRun.Outcome> off, int runs, MetaModelSettings settings) {
    int rankIndex = ProposalFeatures.NAMES.indexOf("optimizer_rank");
    int overlapIndex = ProposalFeatures.NAMES.indexOf("failure_overlap");
    double[] sums = new double[8];
    int batches = 0;
    for (int start = 0; start < off.size(); start += runs) {
      List<GainObservation> training = new ArrayList<>();
      for (int r = start; r < start + runs / 2; r++) {
        for (List<SimulatedRun.Evaluated> batch : off.get(r).batches()) {
          batch.forEach(e -> training.add(new GainObservation(e.features(), e.measuredGain())));
        }
      }
      CandidateRanker ranker = new CandidateRanker(settings.withScore(RankingScore.MEAN));
      for (int r = start + runs / 2; r < start + runs; r++) {
        for (List<SimulatedRun.Evaluated> batch : off.get(r).batches()) {
          if (batch.size() < 3) {
            continue;
          }
          List<double[]> features = batch.stream().map(SimulatedRun.Evaluated::features).toList();
          var ranking = ranker.rankFeatures(features, training);
          double[] predicted = ranking.predictions().stream().mapToDouble(GainPrediction::gain).toArray();
          double[] measured = batch.stream().mapToDouble(SimulatedRun.Evaluated::measuredGain).toArray();
          double[] hidden = batch.stream().mapToDouble(SimulatedRun.Evaluated::hiddenGain).toArray();
          double[] proposal = features.stream().mapToDouble(x -> -x[rankIndex]).toArray();
          double[] overlap = features.stream().mapToDouble(x -> x[overlapIndex]).toArray();
          sums[0] += Spearman.of(predicted, measured);
          sums[1] += Spearman.of(predicted, hidden);
          sums[2] += Spearman.of(proposal, measured);
          sums[3] += Spearman.of(proposal, hidden);
          sums[4] += Spearman.of(overlap, measured);
          sums[5] += Spearman.of(overlap, hidden);
          sums[6] += Spearman.of(hidden, measured);
          batches++;
        }
      }
    }
    List<GainObservation> all = new ArrayList<>();
    for (SimulatedRun.Outcome outcome : off) {
      outcome.batches().forEach(b -> b.forEach(e -> all.add(new GainObservation(e.features(), e.measuredGain()))));
    }
    StringBuilder weights = new StringBuilder();
    new CandidateRanker(settings.withScore(RankingScore.MEAN)
      .withMinHistory(Math.min(all.size(), MetaModelSettings.DEFAULT_MIN_HISTORY)))
      .rankFeatures(List.of(), all.subList(Math.max(0, all.size() - MetaModelSettings.DEFAULT_MAX_HISTORY),
        all.size()))
      .weights().forEach((name, w) -> weights.append(String.format(Locale.ROOT, " %s %+.3f", name, w)));
    System.out.println("weights learnt from the off arm's last " + Math.min(all.size(),
      MetaModelSettings.DEFAULT_MAX_HISTORY) + " evaluated candidates (gain per unit):" + weights);
    System.out.printf(Locale.ROOT, "ranking quality on unseen runs (mean Spearman within an iteration, %d iterations;"
      + " vs measured / vs hidden gain): meta-model %.2f / %.2f, optimizer order %.2f / %.2f, failure overlap alone"
      + " %.2f / %.2f, hidden gain %.2f / 1%n", batches, sums[0] / batches, sums[1] / batches, sums[2] / batches,
      sums[3] / batches, sums[4] / batches, sums[5] / batches, sums[6] / batches);
  }

  /** The task statement and up to two instructions from the library, as a user's first draft might be. */
  static SimPrompt initialPrompt(Random random) {
    List<Sentence> sentences = new ArrayList<>();
    sentences.add(InstructionLibrary.TASK);
    int extra = random.nextInt(3);
    while (sentences.size() < extra + 1) {
      Sentence s = InstructionLibrary.SENTENCES.get(random.nextInt(InstructionLibrary.SENTENCES.size()));
      if (!sentences.contains(s)) {
        sentences.add(s);
      }
    }
    return new SimPrompt(sentences);
  }

  private static void report(Map<String, List<SimulatedRun.Outcome>> outcomes, Map<String, double[]> perSeed,
                             int runs) {
    double[] offSeeds = perSeed.get("off");
    double[] firstSeeds = perSeed.get("first");
    double offTotal = Arrays.stream(offSeeds).sum();
    double firstTotal = Arrays.stream(firstSeeds).sum();
    System.out.println("arm        reached  evals/run  evals to target  quality  measured  kept-first"
      + "  modelled  saved vs off (seeds min/median/max)  saved vs first  late runs saved vs first");
    for (Map.Entry<String, List<SimulatedRun.Outcome>> entry : outcomes.entrySet()) {
      List<SimulatedRun.Outcome> list = entry.getValue();
      double reached = list.stream().filter(SimulatedRun.Outcome::reached).count() / (double) list.size();
      double evals = list.stream().mapToLong(SimulatedRun.Outcome::evaluations).average().orElse(0);
      double toTarget = list.stream().filter(SimulatedRun.Outcome::reached)
        .mapToLong(SimulatedRun.Outcome::evaluationsToTarget).average().orElse(Double.NaN);
      double quality = list.stream().mapToDouble(SimulatedRun.Outcome::quality).average().orElse(0);
      double measured = list.stream().mapToDouble(SimulatedRun.Outcome::measured).average().orElse(0);
      int kept = list.stream().mapToInt(SimulatedRun.Outcome::kept).sum();
      int keptFirst = list.stream().mapToInt(SimulatedRun.Outcome::keptFirst).sum();
      int iterations = list.stream().mapToInt(SimulatedRun.Outcome::iterations).sum();
      int modelled = list.stream().mapToInt(SimulatedRun.Outcome::modelledIterations).sum();
      double[] seeds = perSeed.get(entry.getKey());
      double[] savedPerSeed = new double[seeds.length];
      for (int s = 0; s < seeds.length; s++) {
        savedPerSeed[s] = 100 * (1 - seeds[s] / offSeeds[s]);
      }
      Arrays.sort(savedPerSeed);
      double total = Arrays.stream(seeds).sum();
      System.out.printf(Locale.ROOT, "%-10s %6.0f%%  %9.0f  %15.0f  %7.3f  %8.3f  %9.0f%%  %7.0f%%"
          + "  %6.1f%% (%5.1f / %5.1f / %5.1f)  %13.1f%%  %23.1f%%%n", entry.getKey(), 100 * reached, evals, toTarget,
        quality, measured, kept == 0 ? 0 : 100.0 * keptFirst / kept,
        iterations == 0 ? 0 : 100.0 * modelled / iterations,
        100 * (1 - total / offTotal), savedPerSeed[0], savedPerSeed[savedPerSeed.length / 2],
        savedPerSeed[savedPerSeed.length - 1], 100 * (1 - total / firstTotal),
        100 * (1 - lateEvaluations(list, runs) / lateEvaluations(outcomes.get("first"), runs)));
    }
  }

  /** Evaluations in the second half of each seed's runs, when the meta-model has history to learn from. */
  private static double lateEvaluations(List<SimulatedRun.Outcome> list, int runs) {
    double sum = 0;
    for (int i = 0; i < list.size(); i++) {
      if (i % runs >= runs / 2) {
        sum += list.get(i).evaluations();
      }
    }
    return sum;
  }

  private static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
  }

  private static double doubleArg(String[] args, String name, double fallback) {
    return Double.parseDouble(stringArg(args, name, Double.toString(fallback)));
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
