package dev.promptlab.optimizer.bench;

import dev.promptlab.optimizer.model.BayesianOptimizer;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.optimizer.model.SearchSpace;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The optimiser benchmark, following the protocol of the reference {@code ref_gp_ei.py}: simple regret
 * on Branin and Hartmann-6 (5 initial points, 50 evaluations), the noisy 1-5 rating proxy (success
 * within 50 ratings, ratings to the first truly good point) against random search, and {@code ask()}
 * latency at 50/200/500 observations next to the numpy reference timed in the same run.
 *
 * <p>Options: {@code --quick} (3 seeds, n = 50 and 200 only), {@code --seeds N}, {@code --seed-offset K}
 * (use seeds K..K+N-1, e.g. to tune away from the reported seeds), {@code --only regret|rating|timing},
 * {@code --initial-design N} (rating proxy), {@code --acquisition ei|ucb} (ei, the reference's, by default),
 * {@code --threads T} (seeds in parallel; timing is always
 * single-threaded), {@code --reference PATH} / {@code --harness PATH} / {@code --no-reference}.
 */
public final class OptimizerBenchmark {

  private static final int BUDGET = 50;
  private static final double RATING_TARGET = 4.0;

  private final int seeds;
  private final int seedOffset;
  private final boolean quick;
  private final int threads;
  private final OptimizerSettings settings;

  private OptimizerBenchmark(int seeds, int seedOffset, boolean quick, int threads, OptimizerSettings settings) {
    this.seeds = seeds;
    this.seedOffset = seedOffset;
    this.quick = quick;
    this.threads = threads;
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    boolean quick = a.contains("--quick");
    int seeds = intOption(a, "--seeds", quick ? 3 : 10);
    int offset = intOption(a, "--seed-offset", 0);
    int threads = intOption(a, "--threads", 1);
    String only = stringOption(a, "--only", null);
    // Expected improvement unless told otherwise: the protocol is the reference's, GP-EI.
    OptimizerSettings settings = OptimizerSettings.defaults();
    settings = settings.withAcquisition(
      OptimizerSettings.Acquisition.fromKey(stringOption(a, "--acquisition", "ei")), settings.confidenceWidth());
    settings = settings.withInitialDesign(intOption(a, "--initial-design", settings.initialDesign()));
    String reference = stringOption(a, "--reference", System.getProperty("bench.reference", "../shared/bench/ref_gp_ei.py"));
    String harness = stringOption(a, "--harness", System.getProperty("bench.harness", "bench/ref_timing.py"));
    boolean withReference = !a.contains("--no-reference");

    System.out.printf(Locale.ROOT, "# OptimizerBenchmark  java %s  cpus=%d  seeds=%d..%d  settings=%s%n",
      System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), offset, offset + seeds - 1, settings);
    OptimizerBenchmark bench = new OptimizerBenchmark(seeds, offset, quick, threads, settings);
    if (only == null || only.equals("timing")) {
      bench.timing(withReference ? reference : null, harness);
    }
    if (only == null || only.equals("regret")) {
      bench.regret();
    }
    if (only == null || only.equals("rating")) {
      bench.rating();
    }
  }

  // ---------------------------------------------------------------- regret

  private void regret() throws Exception {
    System.out.printf(Locale.ROOT, "%n## Simple regret (median [IQR] over %d seeds; 5 initial (Sobol) points, budget %d)%n",
      seeds, BUDGET);
    System.out.printf(Locale.ROOT, "%-10s %-8s %32s %32s %16s%n", "problem", "method", "@20", "@50", "ask ms (median)");
    regretProblem("branin", BenchmarkProblems.BRANIN_SPACE, BenchmarkProblems::branin, BenchmarkProblems.BRANIN_MIN);
    regretProblem("hartmann6", BenchmarkProblems.HARTMANN6_SPACE, BenchmarkProblems::hartmann6,
      BenchmarkProblems.HARTMANN6_MIN);
  }

  private void regretProblem(String name, SearchSpace space, ToDoubleFunction<double[]> f, double min) throws Exception {
    OptimizerSettings five = settings.withInitialDesign(5);
    List<double[]> runs = perSeed(seed -> {
      BayesianOptimizer optimizer = new BayesianOptimizer(space, five, seed);
      double[] ys = new double[BUDGET];
      List<Double> askMs = new ArrayList<>();
      for (int t = 0; t < BUDGET; t++) {
        long start = System.nanoTime();
        double[] x = optimizer.suggest(1, List.of()).points().get(0);
        if (t >= 5) {
          askMs.add((System.nanoTime() - start) / 1e6);
        }
        ys[t] = f.applyAsDouble(x);
        optimizer.observe(x, -ys[t]);
      }
      List<double[]> randomPoints = referenceRandomSearch(space, BUDGET, 10_000 + seed);
      double[] yr = new double[BUDGET];
      for (int t = 0; t < BUDGET; t++) {
        yr[t] = f.applyAsDouble(randomPoints.get(t));
      }
      double[] row = new double[4 + askMs.size()];
      row[0] = prefixMin(ys, 20) - min;
      row[1] = prefixMin(ys, 50) - min;
      row[2] = prefixMin(yr, 20) - min;
      row[3] = prefixMin(yr, 50) - min;
      for (int i = 0; i < askMs.size(); i++) {
        row[4 + i] = askMs.get(i);
      }
      return row;
    });
    double[] ask = runs.stream().flatMapToDouble(r -> Arrays.stream(r, 4, r.length)).toArray();
    System.out.printf(Locale.ROOT, "%-10s %-8s %32s %32s %16.1f%n", name, "gp-" + settings.acquisition().key(), fmt(column(runs, 0)),
      fmt(column(runs, 1)), quantile(ask, 0.5));
    System.out.printf(Locale.ROOT, "%-10s %-8s %32s %32s %16s%n", name, "random", fmt(column(runs, 2)),
      fmt(column(runs, 3)), "-");
  }

  private static double prefixMin(double[] ys, int k) {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      m = Math.min(m, ys[i]);
    }
    return m;
  }

  // ---------------------------------------------------------------- rating proxy

  private void rating() throws Exception {
    System.out.printf(Locale.ROOT, "%n## Seed-design proxy 'rating4': 3 reals + 1 categorical (3 levels), Likert 1..5 "
      + "= round(true + N(0,%s^2)), %d seeds, budget %d%n", BenchmarkProblems.RATING_NOISE_SD, seeds, BUDGET);
    System.out.println("width = bump width (0.25: ~1% of space rates >= 4; 0.5: broad). success = a point with TRUE "
      + "rating >= 4.0 evaluated within budget; best = max TRUE rating among evaluated points");
    System.out.printf(Locale.ROOT, "%5s %4s %-8s %8s %26s %24s%n", "width", "init", "method", "success",
      "first hit, median [IQR]", "best @50, median [IQR]");
    for (double width : new double[] {0.25, 0.5}) {
      ratingRow(width, true);
      ratingRow(width, false);
    }
  }

  private void ratingRow(double width, boolean model) throws Exception {
    List<double[]> runs = perSeed(seed -> {
      SearchSpace space = BenchmarkProblems.RATING_SPACE;
      List<double[]> xs = new ArrayList<>();
      if (model) {
        SplittableRandom noise = new SplittableRandom(50_000 + seed);
        BayesianOptimizer optimizer = new BayesianOptimizer(space, settings, seed);
        for (int t = 0; t < BUDGET; t++) {
          double[] x = optimizer.suggest(1, List.of()).points().get(0);
          optimizer.observe(x, BenchmarkProblems.ratingNoisy(x, width, noise));
          xs.add(x);
        }
      } else {
        xs.addAll(referenceRandomSearch(space, BUDGET, 10_000 + seed));
      }
      double first = Double.NaN;
      double best = Double.NEGATIVE_INFINITY;
      for (int t = 0; t < xs.size(); t++) {
        double truth = BenchmarkProblems.ratingTrue(xs.get(t), width);
        best = Math.max(best, truth);
        if (Double.isNaN(first) && truth >= RATING_TARGET) {
          first = t + 1;
        }
      }
      return new double[] {first, best};
    });
    double[] firsts = runs.stream().mapToDouble(r -> r[0]).filter(v -> !Double.isNaN(v)).toArray();
    double[] bests = column(runs, 1);
    String init = model ? Integer.toString(settings.initialDesign()) : "-";
    String firstText = firsts.length == 0 ? String.format(Locale.ROOT, "%8s [%5s, %5s]", "nan", "nan", "nan")
      : String.format(Locale.ROOT, "%8s [%5s, %5s]", fixed(quantile(firsts, 0.5), 0), fixed(quantile(firsts, 0.25), 1),
      fixed(quantile(firsts, 0.75), 1));
    System.out.printf(Locale.ROOT, "%5.2f %4s %-8s %4d/%-3d %s    %8s [%s, %s]%n", width, init,
      model ? "gp-ei" : "random", firsts.length, seeds, firstText, fixed(quantile(bests, 0.5), 2),
      fixed(quantile(bests, 0.25), 2), fixed(quantile(bests, 0.75), 2));
  }

  /** Fixed-point text rounded half to even on the exact binary value, as Python formats it. */
  static String fixed(double value, int digits) {
    return new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
  }

  // ---------------------------------------------------------------- timing

  /**
   * Per n: n uniformly random observations of the rating proxy; then, repeatedly, one more observation
   * followed by a timed {@code suggest(1)} — the work of one rating: a warm-started refit plus the
   * acquisition search. The first asks are warm-up and not counted, and before any of it the JIT is
   * warmed up on a throwaway study.
   */
  private void timing(String reference, String harness) throws Exception {
    int[] ns = quick ? new int[] {50, 200} : new int[] {50, 200, 500};
    int reps = quick ? 10 : 20;
    int warmup = 3;
    System.out.printf(Locale.ROOT, "%n## ask() latency after a new observation (refit warm-started + acquisition), "
      + "rating4 space, %d timed asks after %d warm-up asks; single thread%n", reps, warmup);
    System.out.printf(Locale.ROOT, "%6s %12s %12s %14s %14s%n", "n", "java p50 ms", "java p95 ms", "numpy p50 ms",
      "numpy p95 ms");
    double[][] python = reference == null ? null : referenceTiming(reference, harness, ns, reps, warmup);
    warmUpJit();
    for (int k = 0; k < ns.length; k++) {
      int n = ns[k];
      SplittableRandom random = new SplittableRandom(n);
      SplittableRandom noise = new SplittableRandom(50_000 + n);
      SearchSpace space = BenchmarkProblems.RATING_SPACE;
      BayesianOptimizer optimizer = new BayesianOptimizer(space, settings.withInitialDesign(5), n);
      for (int i = 0; i < n; i++) {
        double[] x = space.decode(space.sample(random));
        optimizer.observe(x, BenchmarkProblems.ratingNoisy(x, 0.25, noise));
      }
      double[] times = new double[reps];
      for (int r = 0; r < warmup + reps; r++) {
        double[] x = space.decode(space.sample(random));
        optimizer.observe(x, BenchmarkProblems.ratingNoisy(x, 0.25, noise));
        long start = System.nanoTime();
        optimizer.suggest(1, List.of());
        double ms = (System.nanoTime() - start) / 1e6;
        if (r >= warmup) {
          times[r - warmup] = ms;
        }
      }
      String py = python == null || python[k] == null ? String.format(Locale.ROOT, "%14s %14s", "n/a", "n/a")
        : String.format(Locale.ROOT, "%14.1f %14.1f", python[k][0], python[k][1]);
      System.out.printf(Locale.ROOT, "%6d %12.1f %12.1f %s%n", n, quantile(times, 0.5), quantile(times, 0.95), py);
    }
  }

  /**
   * Lets the JIT compile the model code before anything is timed (the numpy reference runs compiled
   * code from the start): a throwaway study grown to 120 observations, one suggestion per observation.
   */
  private void warmUpJit() {
    SearchSpace space = BenchmarkProblems.RATING_SPACE;
    SplittableRandom random = new SplittableRandom(-1);
    BayesianOptimizer optimizer = new BayesianOptimizer(space, settings.withInitialDesign(5), -1);
    for (int i = 0; i < 120; i++) {
      double[] x = space.decode(space.sample(random));
      optimizer.observe(x, BenchmarkProblems.ratingNoisy(x, 0.25, random));
      if (i >= 20) {
        optimizer.suggest(1, List.of());
      }
    }
  }

  /** Runs the numpy reference under the same protocol; null entries when python is unavailable. */
  private static double[][] referenceTiming(String reference, String harness, int[] ns, int reps, int warmup) {
    double[][] result = new double[ns.length][];
    if (!new File(reference).isFile() || !new File(harness).isFile()) {
      System.out.println("(numpy reference not found: " + reference + " / " + harness + ")");
      return result;
    }
    String nList = String.join(",", Arrays.stream(ns).mapToObj(Integer::toString).toList());
    ProcessBuilder builder = new ProcessBuilder("python3", harness, "--reference", reference, "--ns", nList,
      "--reps", Integer.toString(reps), "--warmup", Integer.toString(warmup)).redirectErrorStream(true);
    try {
      Process process = builder.start();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          String[] parts = line.trim().split("\\s+");
          if (parts.length == 4 && parts[0].equals("timing")) {
            int n = Integer.parseInt(parts[1]);
            for (int k = 0; k < ns.length; k++) {
              if (ns[k] == n) {
                result[k] = new double[] {Double.parseDouble(parts[2]), Double.parseDouble(parts[3])};
              }
            }
          } else if (!line.isBlank()) {
            System.out.println("(reference) " + line);
          }
        }
      }
      process.waitFor();
    } catch (IOException e) {
      System.out.println("(numpy reference could not run: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return result;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The reference's random search, point for point: {@code Space.sample_encoded(m, default_rng(seed))}
   * draws all real coordinates first (row-major), then each categorical's levels, then decodes.
   */
  static List<double[]> referenceRandomSearch(SearchSpace space, int m, long seed) {
    NumpyRandom random = new NumpyRandom(seed);
    List<SearchSpace.Dimension> dims = space.dimensions();
    double[][] natural = new double[m][dims.size()];
    for (int i = 0; i < m; i++) {
      for (int d = 0; d < dims.size(); d++) {
        if (dims.get(d) instanceof SearchSpace.Real r) {
          natural[i][d] = r.lower() + random.nextDouble() * (r.upper() - r.lower());
        }
      }
    }
    for (int d = 0; d < dims.size(); d++) {
      if (dims.get(d) instanceof SearchSpace.Categorical c) {
        for (int i = 0; i < m; i++) {
          natural[i][d] = random.nextInt(c.levels().size());
        }
      }
    }
    return Arrays.asList(natural);
  }

  private List<double[]> perSeed(IntFunction<double[]> run) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (int s = 0; s < seeds; s++) {
        int seed = seedOffset + s;
        futures.add(pool.submit(() -> run.apply(seed)));
      }
      List<double[]> rows = new ArrayList<>();
      for (Future<double[]> f : futures) {
        rows.add(f.get());
      }
      return rows;
    } finally {
      pool.shutdownNow();
    }
  }

  private static double[] column(List<double[]> rows, int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }

  /** Quantile with linear interpolation between order statistics (numpy's default). */
  static double quantile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    double pos = p * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  private static String fmt(double[] a) {
    return String.format(Locale.ROOT, "%9.2e [%8.2e, %8.2e]", quantile(a, 0.5), quantile(a, 0.25), quantile(a, 0.75));
  }

  private static int intOption(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
  }

  private static String stringOption(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }
}
