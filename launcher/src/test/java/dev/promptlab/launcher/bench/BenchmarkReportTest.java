package dev.promptlab.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

  private static final int BUDGET = 20;

  /** An outcome whose first true rating >= 4 comes at rating {@code first} (1-based), or never when -1. */
  private static TrainerRun.Outcome firstAt(int first) {
    double[] truth = new double[BUDGET];
    for (int i = 0; i < BUDGET; i++) {
      truth[i] = first > 0 && i + 1 >= first ? 4.5 : 1.5;
    }
    return new TrainerRun.Outcome(truth, -1, null, Double.NaN, 0);
  }

  private static String report(int[] optimizer, int[] random) {
    List<BenchmarkReport.Pair> pairs = new ArrayList<>();
    for (int i = 0; i < optimizer.length; i++) {
      pairs.add(new BenchmarkReport.Pair(TasteFamily.CENTRE_BROAD.draw(0, i), firstAt(optimizer[i]), firstAt(random[i])));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BenchmarkReport.print(pairs, BUDGET, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void targetOneIsJudgedOverSuccessfulRunsAndOverAllRunsWithFailuresCountedAsBudgetPlusOne() {
    // Random search solves one taste of four, at once: over successful runs its median is 1, over all runs 21.
    String text = report(new int[] {2, 4, -1, -1}, new int[] {1, -1, -1, -1});

    assertTrue(text.contains("target 1: median ratings to first true >= 4: optimizer 3.0 <= 0.7 x random 1.0 = 0.7: "
      + "NOT met"), text);
    assertTrue(text.contains("counting a failure as 21 (all runs): optimizer 12.5 <= 0.7 x random >= 21.0 = 14.7: met"),
      text);
    assertTrue(text.contains("target 2: success where random succeeds: 1/1 = 100% >= 90%: met"), text);
  }

  @Test
  void anOptimizerThatFailsMostTastesIsNeverCountedAsFasterOverAllRuns() {
    // Over successful runs its one early success looks fast; over all runs it is not.
    String text = report(new int[] {3, -1, -1, -1}, new int[] {5, 6, 7, 8});

    assertTrue(text.contains("target 1: median ratings to first true >= 4: optimizer 3.0 <= 0.7 x random 6.5 = 4.6: met"),
      text);
    assertTrue(text.contains("counting a failure as 21 (all runs): optimizer never <= 0.7 x random 6.5 = 4.6: NOT met"),
      text);
    assertTrue(text.contains("target 2: success where random succeeds: 1/4 = 25% >= 90%: NOT met"), text);
  }
}
