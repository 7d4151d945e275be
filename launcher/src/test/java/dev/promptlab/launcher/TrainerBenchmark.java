package dev.promptlab.launcher;

import dev.promptlab.launcher.bench.BenchmarkReport;
import dev.promptlab.launcher.bench.HiddenTaste;
import dev.promptlab.launcher.bench.InProcessStudy;
import dev.promptlab.launcher.bench.SimulatedEvolution;
import dev.promptlab.launcher.bench.TasteFamily;
import dev.promptlab.launcher.bench.TrainerRun;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.testkit.SampleImages;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Simulated trainers with hidden tastes rate the packaged server's suggestions through the real HTTP API;
 * random search on the same tastes and budget runs beside them. Not a test: it prints a table.
 *
 * <p>Each server ({@code java -jar launcher/target/promptlab.jar}, fresh data directory under
 * {@code launcher/target/acceptance}, offline providers, admin token) serves two tastes at once, one per
 * mode (each mode is its own study). Options: {@code --tastes N} per family (default 4), {@code --seed-offset K}
 * (tastes, noise and optimizer seed; default 0), {@code --budget B} ratings (default 50), {@code --families a,b}
 * (labels), {@code --jar PATH} (another build of the server, e.g. a copy of an
 * earlier one, run in the project's root), {@code --in-process} (drive the optimizer's study classes directly, no server: for choosing
 * defaults quickly; {@code --initial-design N}, {@code --noise-margin X}, {@code --acquisition ucb|ei} and
 * {@code --ucb-width W} change its settings; two tastes share one
 * simulated evolution whose A/B tests pair experiments as the server's do, see {@link SimulatedEvolution}, unless
 * {@code --no-ab-pairs}: every experiment then has two points of its study), {@code --threads T} (in-process runs in parallel), {@code --verbose} (one line per taste),
 * {@code --last K} (the window of the mean true rating of the last suggestions; default 10).
 *
 * <p>Phase 2: {@code --best-of-n N} (N above 2) switches best-of-N on and activates the reward model early —
 * retrained every {@code --retrain-every R} rated variants (10), judged on at least {@code --min-held-out H} held-out
 * ratings (10) and {@code --min-pairs P} pairs (5) — and switches off the evolution triggers (best-of-N does not run
 * during an A/B test). The reward model is one for all modes, so each server then serves one taste (mode
 * {@code structure}) and the study's phase 1 runs the whole budget ({@code max_samples}). {@code --predicted-ratings}
 * lets the optimizer learn the predictions of the candidates left unshown.
 */
public final class TrainerBenchmark {

  private int tastesPerFamily = 4;
  private long seedOffset;
  private int budget = 50;
  private boolean inProcess;
  private boolean abPairs = true;
  private boolean verbose;
  private int threads = 1;
  private String jar;
  private int lastWindow = 10;
  private int bestOfN = 2;
  private int retrainEvery = 10;
  private int minHeldOut = 10;
  private int minPairs = 5;
  private boolean predictedRatings;
  private OptimizerSettings settings = OptimizerSettings.defaults();
  private List<TasteFamily> families = List.of(TasteFamily.values());
  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    TrainerBenchmark bench = new TrainerBenchmark();
    bench.parse(args);
    bench.run();
    // The exec plugin's JVM keeps running otherwise (HTTP client threads).
    System.exit(0);
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tastes" -> tastesPerFamily = Integer.parseInt(args[++i]);
        case "--seed-offset" -> seedOffset = Long.parseLong(args[++i]);
        case "--budget" -> budget = Integer.parseInt(args[++i]);
        case "--in-process" -> inProcess = true;
        case "--no-ab-pairs" -> abPairs = false;
        case "--verbose" -> verbose = true;
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--jar" -> jar = args[++i];
        case "--last" -> lastWindow = Integer.parseInt(args[++i]);
        case "--best-of-n" -> bestOfN = Integer.parseInt(args[++i]);
        case "--retrain-every" -> retrainEvery = Integer.parseInt(args[++i]);
        case "--min-held-out" -> minHeldOut = Integer.parseInt(args[++i]);
        case "--min-pairs" -> minPairs = Integer.parseInt(args[++i]);
        case "--predicted-ratings" -> predictedRatings = true;
        case "--initial-design" -> settings = settings.withInitialDesign(Integer.parseInt(args[++i]));
        case "--noise-margin" -> settings = settings.withNoiseMargin(Double.parseDouble(args[++i]));
        case "--acquisition" -> settings = settings.withAcquisition(
          OptimizerSettings.Acquisition.fromKey(args[++i]), settings.confidenceWidth());
        case "--ucb-width" -> settings = settings.withAcquisition(settings.acquisition(), Double.parseDouble(args[++i]));
        case "--families" -> families = List.of(args[++i].split(",")).stream()
          .map(label -> List.of(TasteFamily.values()).stream().filter(f -> f.label().equals(label)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown family " + label)))
          .toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // The reward model and best-of-N live in the server: in-process there is nothing they could change.
    if (inProcess && (bestOfN > 2 || predictedRatings)) {
      throw new IllegalArgumentException("--best-of-n and --predicted-ratings need the packaged server;"
        + " leave out --in-process");
    }
  }

  private record Task(HiddenTaste taste, long seed) {
  }

  private void run() throws Exception {
    List<Task> tasks = new ArrayList<>();
    for (TasteFamily family : families) {
      for (int i = 0; i < tastesPerFamily; i++) {
        long seed = seedOffset + i;
        tasks.add(new Task(family.draw(seed, i), seed * 100 + family.ordinal()));
      }
    }
    out.printf("# TrainerBenchmark  java %s  cpus=%d  %s  tastes=%d (%d per family, seeds %d..%d)  budget=%d ratings%n",
      System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
      !inProcess ? "packaged server over HTTP" : abPairs ? "in-process study with simulated A/B pairing (no server)"
        : "in-process study (no server)", tasks.size(), tastesPerFamily,
      seedOffset, seedOffset + tastesPerFamily - 1, budget);
    if (bestOfN > 2) {
      out.printf("# best-of-%d, reward model retrained every %d, min held out %d, min pairs %d; optimizer learns "
        + "predicted ratings: %s%n", bestOfN, retrainEvery, minHeldOut, minPairs, predictedRatings ? "yes" : "no");
    }
    long started = System.nanoTime();
    List<BenchmarkReport.Pair> pairs = inProcess ? runInProcess(tasks) : runOverHttp(tasks);
    out.println();
    BenchmarkReport.print(pairs, budget, lastWindow, out);
    out.printf("%nsuccess = a suggestion with true rating >= 4 within the budget; first>=4 over successful runs; "
      + "cens. med counts a failure as budget+1; last%d = mean true rating of the last %d suggestions; "
      + "p1 early = phase 1 ended by the rating rule; p1 wrong = ... while the setting it called best is truly < 4. "
      + "%.0f s.%n", lastWindow, lastWindow, (System.nanoTime() - started) / 1e9);
  }

  private List<BenchmarkReport.Pair> runInProcess(List<Task> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<BenchmarkReport.Pair>>> futures = new ArrayList<>();
      if (abPairs) {
        // As on a server: two tastes (one per mode) share the evolution, its A/B tests and the optimizer's seed.
        for (int k = 0; k < tasks.size(); k += 2) {
          List<Task> both = tasks.subList(k, Math.min(tasks.size(), k + 2));
          futures.add(pool.submit(() -> sharingEvolution(both)));
        }
      } else {
        for (Task task : tasks) {
          futures.add(pool.submit(() -> List.of(pair(task, TrainerRun.optimizer(task.taste(),
            new InProcessStudy("structure", task.seed(), settings), budget, task.seed())))));
        }
      }
      List<BenchmarkReport.Pair> pairs = new ArrayList<>();
      for (Future<List<BenchmarkReport.Pair>> f : futures) {
        pairs.addAll(f.get());
      }
      return pairs;
    } finally {
      pool.shutdown();
    }
  }

  /** The tastes of one simulated server, their trainers taking turns; the evolution paces the A/B tests. */
  private List<BenchmarkReport.Pair> sharingEvolution(List<Task> both) throws Exception {
    SimulatedEvolution evolution = new SimulatedEvolution();
    List<TrainerRun.Trainer> trainers = new ArrayList<>();
    for (int m = 0; m < both.size(); m++) {
      Task task = both.get(m);
      InProcessStudy study = new InProcessStudy(m == 0 ? "structure" : "surfaces", both.get(0).seed(), settings,
        evolution);
      trainers.add(new TrainerRun.Trainer(task.taste(), study, budget, task.seed()));
    }
    List<TrainerRun.Outcome> outcomes = TrainerRun.alternating(trainers);
    if (verbose) {
      synchronized (out) {
        out.printf("  server of seed %d: %d evolutions, %d promoted, %d versions with learned parameters%n",
          both.get(0).seed(), evolution.evolutions(), evolution.promotions(), evolution.learnedVersions());
      }
    }
    List<BenchmarkReport.Pair> pairs = new ArrayList<>();
    for (int m = 0; m < both.size(); m++) {
      pairs.add(pair(both.get(m), outcomes.get(m)));
    }
    return pairs;
  }

  private List<BenchmarkReport.Pair> runOverHttp(List<Task> tasks) throws Exception {
    byte[] render = SampleImages.pngWithAlpha(160, 120);
    List<BenchmarkReport.Pair> pairs = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    // One reward model learns every mode's ratings: with it, a server serves one taste so the model learns one.
    int perServer = bestOfN > 2 ? 1 : 2;
    try {
      for (int k = 0; k < tasks.size(); k += perServer) {
        List<Task> both = tasks.subList(k, Math.min(tasks.size(), k + perServer));
        try (PackagedServer server = PackagedServer.create("bench", environment(both.get(0).seed()))) {
          // A loaded machine can starve the server's start-up past Vert.x's blocked-thread limit. The benchmark measures
          // what the study learns, not latency (a suggestion that ran into the model timeout shows as a fallback line),
          // so such warnings are counted and printed below instead of ending the whole run.
          server.countingBlockedThreads();
          if (jar != null) {
            server.runFrom(PackagedServer.projectRoot(), Path.of(jar).toAbsolutePath().toString(), List.of());
          }
          server.start();
          List<Future<BenchmarkReport.Pair>> futures = new ArrayList<>();
          List<HttpStudy> studies = new ArrayList<>();
          for (int m = 0; m < both.size(); m++) {
            Task task = both.get(m);
            HttpStudy study = new HttpStudy(server, m == 0 ? "structure" : "surfaces", render);
            futures.add(pool.submit(() -> pair(task, TrainerRun.optimizer(task.taste(), study, budget, task.seed()))));
            studies.add(study);
          }
          for (int f = 0; f < futures.size(); f++) {
            pairs.add(futures.get(f).get());
            if (bestOfN > 2 && verbose) {
              HttpStudy study = studies.get(f);
              out.printf(java.util.Locale.ROOT, "    %s: %d of %d uploads chosen by the reward model (first at upload "
                + "%d); predicted ratings the study learnt: mean %.1f, most %d, at the end %d%n", study.mode(),
                study.rewardSelections(), study.uploads(), study.firstRewardSelection(),
                study.meanPredictedObservations(), study.mostPredictedObservations(), study.predictedObservations());
            }
          }
          String log = server.output();
          long blocked = log.lines().filter(l -> l.contains("has been blocked")).count();
          long fallbacks = log.lines().filter(l -> l.contains("random-fallback") || l.contains("fallback")).count();
          if (blocked > 0 || fallbacks > 0) {
            out.printf("  server %s: %d blocked-thread warnings, %d fallback lines (see its server.log)%n",
              server.home, blocked, fallbacks);
          }
        }
      }
    } finally {
      pool.shutdown();
    }
    return pairs;
  }

  /** The server's environment: the optimizer's seed and, with best-of-N, phase 2's configuration. */
  private Map<String, String> environment(long seed) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PROMPTLAB__OPTIMIZER__SEED", String.valueOf(seed));
    if (bestOfN > 2) {
      env.put("PROMPTLAB__HTTP__BEST_OF_N", String.valueOf(bestOfN));
      env.put("PROMPTLAB__REWARD__RETRAIN_EVERY", String.valueOf(retrainEvery));
      env.put("PROMPTLAB__REWARD__MIN_HELD_OUT", String.valueOf(minHeldOut));
      env.put("PROMPTLAB__REWARD__MIN_PAIRS", String.valueOf(minPairs));
      env.put("PROMPTLAB__OPTIMIZER__MAX_SAMPLES", String.valueOf(budget));
      env.put("PROMPTLAB__EVOLUTION__TRIGGERS__EVERY_SAMPLES", "100000");
      env.put("PROMPTLAB__EVOLUTION__TRIGGERS__LOW_PERFORMANCE_AFTER", "100000");
      env.put("PROMPTLAB__EVOLUTION__TRIGGERS__PLATEAU_SAMPLES", "100000");
    }
    if (predictedRatings) {
      env.put("PROMPTLAB__OPTIMIZER__USE_PREDICTED_RATINGS", "true");
    }
    return env;
  }

  private BenchmarkReport.Pair pair(Task task, TrainerRun.Outcome optimizer) {
    TrainerRun.Outcome random = TrainerRun.random(task.taste(), budget, task.seed());
    if (verbose) {
      synchronized (out) {
        out.printf("  %s | opt first=%d last=%.2f p1=%s@%d claimed=%.2f repeated=%d | rnd first=%d%n", task.taste(),
          optimizer.firstHit(), optimizer.meanOfLast(lastWindow), optimizer.phaseOneReason(), optimizer.phaseOneStop(),
          optimizer.claimedBestTrue(), optimizer.repeatedPoints(), random.firstHit());
      }
    }
    return new BenchmarkReport.Pair(task.taste(), optimizer, random);
  }
}
