package dev.promptlab.launcher.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's table: per taste family and overall, the optimizer beside random search. */
public final class BenchmarkReport {

  /** One taste's outcome for both methods. */
  public record Pair(HiddenTaste taste, TrainerRun.Outcome optimizer, TrainerRun.Outcome random) {
  }

  private BenchmarkReport() {
  }

  public static void print(List<Pair> pairs, int budget, PrintStream out) {
    print(pairs, budget, 10, out);
  }

  /** The table with the mean true rating of the last {@code last} suggestions (the target is stated for 10). */
  public static void print(List<Pair> pairs, int budget, int last, PrintStream out) {
    Map<String, List<Pair>> byFamily = new LinkedHashMap<>();
    for (TasteFamily family : TasteFamily.values()) {
      List<Pair> list = pairs.stream().filter(p -> p.taste().family() == family).toList();
      if (!list.isEmpty()) {
        byFamily.put(family.label(), list);
      }
    }
    byFamily.put("overall", pairs);
    out.printf(Locale.ROOT, "%-20s %-9s %5s %8s %22s %10s %9s %10s %10s%n", "family", "method", "runs", "success",
      "first>=4 med [IQR]", "cens. med", "last" + last, "p1 early", "p1 wrong");
    for (Map.Entry<String, List<Pair>> e : byFamily.entrySet()) {
      row(out, e.getKey(), "optimizer", e.getValue().stream().map(Pair::optimizer).toList(), budget, last, true);
      row(out, e.getKey(), "random", e.getValue().stream().map(Pair::random).toList(), budget, last, false);
    }
    targets(out, pairs, budget);
  }

  private static void row(PrintStream out, String family, String method, List<TrainerRun.Outcome> runs, int budget,
                          int last, boolean phaseOne) {
    int hits = 0;
    List<Double> first = new ArrayList<>();
    List<Double> censored = new ArrayList<>();
    double lastMean = 0;
    int early = 0;
    int wrong = 0;
    for (TrainerRun.Outcome o : runs) {
      int f = o.firstHit();
      if (f > 0) {
        hits++;
        first.add((double) f);
      }
      censored.add(f > 0 ? f : budget + 1.0);
      lastMean += o.meanOfLast(last);
      early += o.stoppedEarly() ? 1 : 0;
      wrong += o.stoppedWrongly() ? 1 : 0;
    }
    double[] q = quartiles(first);
    out.printf(Locale.ROOT, "%-20s %-9s %5d %7.0f%% %8s [%5s, %5s] %10s %9.2f %10s %10s%n", family, method, runs.size(),
      100.0 * hits / runs.size(), fmt(q[1]), fmt(q[0]), fmt(q[2]), censoredMedian(censored, budget),
      lastMean / runs.size(), phaseOne ? early + "/" + runs.size() : "-", phaseOne ? wrong + "/" + runs.size() : "-");
  }

  private static void targets(PrintStream out, List<Pair> pairs, int budget) {
    List<Double> optFirst = new ArrayList<>();
    List<Double> randFirst = new ArrayList<>();
    List<Double> optCensored = new ArrayList<>();
    List<Double> randCensored = new ArrayList<>();
    int randomHits = 0;
    int bothHit = 0;
    double last10 = 0;
    for (Pair p : pairs) {
      int o = p.optimizer().firstHit();
      int r = p.random().firstHit();
      optCensored.add(o > 0 ? o : budget + 1.0);
      randCensored.add(r > 0 ? r : budget + 1.0);
      if (o > 0) {
        optFirst.add((double) o);
      }
      if (r > 0) {
        randFirst.add((double) r);
        randomHits++;
        bothHit += o > 0 ? 1 : 0;
      }
      last10 += p.optimizer().meanOfLast(10);
    }
    double optMedian = quartiles(optFirst)[1];
    double randMedian = quartiles(randFirst)[1];
    out.println();
    out.printf(Locale.ROOT, "target 1: median ratings to first true >= 4: optimizer %s <= 0.7 x random %s = %s: %s%n",
      fmt(optMedian), fmt(randMedian), fmt(0.7 * randMedian), verdict(optMedian <= 0.7 * randMedian));
    // Over successful runs each method's median is taken over different tastes (random search only counts its lucky
    // runs); counting a failure as budget + 1 compares all runs of both on the same tastes (a failure may be later).
    double optCens = quartiles(optCensored)[1];
    double randCens = quartiles(randCensored)[1];
    out.printf(Locale.ROOT, "          counting a failure as %d (all runs): optimizer %s <= 0.7 x random %s%s = %s: %s%n",
      budget + 1, censoredMedian(optCensored, budget), randCens > budget ? ">= " : "", fmt(randCens),
      fmt(0.7 * randCens), verdict(optCens <= 0.7 * randCens));
    out.printf(Locale.ROOT, "target 2: success where random succeeds: %d/%d = %.0f%% >= 90%%: %s%n", bothHit, randomHits,
      randomHits == 0 ? 0.0 : 100.0 * bothHit / randomHits, verdict(randomHits > 0 && bothHit >= 0.9 * randomHits));
    double mean = last10 / pairs.size();
    out.printf(Locale.ROOT, "target 3: mean true rating of the last 10 suggestions %.2f >= 3.80: %s%n", mean,
      verdict(mean >= 3.8));
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }

  /** Median with failures counted as budget + 1 ("never" when more than half failed). */
  private static String censoredMedian(List<Double> values, int budget) {
    double m = quartiles(values)[1];
    return m > budget ? "never" : fmt(m);
  }

  /** 25th, 50th and 75th percentiles (linear interpolation, as numpy); NaN when empty. */
  static double[] quartiles(List<Double> values) {
    if (values.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return new double[] {percentile(v, 0.25), percentile(v, 0.5), percentile(v, 0.75)};
  }

  private static double percentile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }
}
