package dev.promptlab.launcher;

import dev.promptlab.launcher.bench.BenchmarkReport;
import dev.promptlab.launcher.bench.HiddenTaste;
import dev.promptlab.launcher.bench.InProcessStudy;
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
 * defaults quickly; {@code --initial-design N} and {@code --noise-margin X} change its settings), {@code --threads T} (in-process runs in parallel), {@code --verbose} (one line per taste).
 */
public final class TrainerBenchmark {

  private int tastesPerFamily = 4;
  private long seedOffset;
  private int budget = 50;
  private boolean inProcess;
  private boolean verbose;
  private int threads = 1;
  private String jar;
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
        case "--verbose" -> verbose = true;
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--jar" -> jar = args[++i];
        case "--initial-design" -> settings = settings.withInitialDesign(Integer.parseInt(args[++i]));
        case "--noise-margin" -> settings = settings.withNoiseMargin(Double.parseDouble(args[++i]));
        case "--families" -> families = List.of(args[++i].split(",")).stream()
          .map(label -> List.of(TasteFamily.values()).stream().filter(f -> f.label().equals(label)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown family " + label)))
          .toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
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
      inProcess ? "in-process study (no server)" : "packaged server over HTTP", tasks.size(), tastesPerFamily,
      seedOffset, seedOffset + tastesPerFamily - 1, budget);
    long started = System.nanoTime();
    List<BenchmarkReport.Pair> pairs = inProcess ? runInProcess(tasks) : runOverHttp(tasks);
    out.println();
    BenchmarkReport.print(pairs, budget, out);
    out.printf("%nsuccess = a suggestion with true rating >= 4 within the budget; first>=4 over successful runs; "
      + "cens. med counts a failure as budget+1; last10 = mean true rating of the last 10 suggestions; "
      + "p1 early = phase 1 ended by the rating rule; p1 wrong = ... while the setting it called best is truly < 4. "
      + "%.0f s.%n", (System.nanoTime() - started) / 1e9);
  }

  private List<BenchmarkReport.Pair> runInProcess(List<Task> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<BenchmarkReport.Pair>> futures = new ArrayList<>();
      for (Task task : tasks) {
        futures.add(pool.submit(() -> pair(task,
          TrainerRun.optimizer(task.taste(), new InProcessStudy("structure", task.seed(), settings), budget, task.seed()))));
      }
      List<BenchmarkReport.Pair> pairs = new ArrayList<>();
      for (Future<BenchmarkReport.Pair> f : futures) {
        pairs.add(f.get());
      }
      return pairs;
    } finally {
      pool.shutdown();
    }
  }

  private List<BenchmarkReport.Pair> runOverHttp(List<Task> tasks) throws Exception {
    byte[] render = SampleImages.pngWithAlpha(160, 120);
    List<BenchmarkReport.Pair> pairs = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int k = 0; k < tasks.size(); k += 2) {
        List<Task> both = tasks.subList(k, Math.min(tasks.size(), k + 2));
        try (PackagedServer server = PackagedServer.create("bench", Map.of(
          "PROMPTLAB__OPTIMIZER__SEED", String.valueOf(both.get(0).seed())))) {
          // A loaded machine can starve the server's start-up past Vert.x's blocked-thread limit. The benchmark measures
          // what the study learns, not latency (a suggestion that ran into the model timeout shows as a fallback line),
          // so such warnings are counted and printed below instead of ending the whole run.
          server.countingBlockedThreads();
          if (jar != null) {
            server.runFrom(PackagedServer.projectRoot(), Path.of(jar).toAbsolutePath().toString(), List.of());
          }
          server.start();
          List<Future<BenchmarkReport.Pair>> futures = new ArrayList<>();
          for (int m = 0; m < both.size(); m++) {
            Task task = both.get(m);
            HttpStudy study = new HttpStudy(server, m == 0 ? "structure" : "surfaces", render);
            futures.add(pool.submit(() -> pair(task, TrainerRun.optimizer(task.taste(), study, budget, task.seed()))));
          }
          for (Future<BenchmarkReport.Pair> f : futures) {
            pairs.add(f.get());
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

  private BenchmarkReport.Pair pair(Task task, TrainerRun.Outcome optimizer) {
    TrainerRun.Outcome random = TrainerRun.random(task.taste(), budget, task.seed());
    if (verbose) {
      synchronized (out) {
        out.printf("  %s | opt first=%d last10=%.2f p1=%s@%d claimed=%.2f repeated=%d | rnd first=%d%n", task.taste(),
          optimizer.firstHit(), optimizer.meanOfLast(10), optimizer.phaseOneReason(), optimizer.phaseOneStop(),
          optimizer.claimedBestTrue(), optimizer.repeatedPoints(), random.firstHit());
      }
    }
    return new BenchmarkReport.Pair(task.taste(), optimizer, random);
  }
}
