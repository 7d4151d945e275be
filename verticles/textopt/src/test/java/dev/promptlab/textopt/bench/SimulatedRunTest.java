package dev.promptlab.textopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The benchmark's loop follows the rule it claims to, so its figures measure what the README says. */
class SimulatedRunTest {

  private static final int ROWS = 60;
  private static final double MARGIN = 0.02;

  private static SimulatedRun.Outcome run(ArmOrder arm, long seed, long budget) {
    LoopSettings settings = new LoopSettings(5, ROWS, MARGIN, 0.9, 3, 10, budget);
    HiddenTask task = new HiddenTask(seed, ROWS);
    return new SimulatedRun(settings, new SimulatedOptimizer(0.1)).run(task,
      MetaModelBenchmark.initialPrompt(new Random(seed)), seed, arm, new ArrayList<>());
  }

  @Test
  void withTheMetaModelOffEveryCandidateIsEvaluated() {
    for (long seed = 1; seed <= 5; seed++) {
      SimulatedRun.Outcome outcome = run(ArmOrder.allInProposalOrder(), seed, Long.MAX_VALUE);
      assertEquals(outcome.iterations(), outcome.batches().size());
      for (List<SimulatedRun.Evaluated> batch : outcome.batches()) {
        assertEquals(5, batch.size(), "seed " + seed);
      }
    }
  }

  @Test
  void theOnRuleStopsAtTheFirstCandidateThatClearsTheMargin() {
    for (long seed = 1; seed <= 5; seed++) {
      SimulatedRun.Outcome outcome = run(ArmOrder.firstInProposalOrder(), seed, Long.MAX_VALUE);
      long cleared = 0;
      for (List<SimulatedRun.Evaluated> batch : outcome.batches()) {
        for (int i = 0; i < batch.size() - 1; i++) {
          assertTrue(batch.get(i).measuredGain() <= MARGIN, "seed " + seed + ": only the last may clear the margin");
        }
        boolean last = batch.get(batch.size() - 1).measuredGain() > MARGIN;
        assertTrue(last || batch.size() == 5, "seed " + seed + ": a batch ends early only on a candidate that clears");
        cleared += last ? 1 : 0;
      }
      assertEquals(cleared, outcome.kept(), "seed " + seed + ": the one that clears is kept");
    }
  }

  @Test
  void evaluationsCountRowsOfDistinctPromptStatesAndRespectTheBudget() {
    SimulatedRun.Outcome outcome = run(ArmOrder.allInProposalOrder(), 3, Long.MAX_VALUE);
    assertEquals(0, outcome.evaluations() % ROWS);
    assertTrue(outcome.evaluations() <= ROWS * (1 + 5L * outcome.iterations()));
    SimulatedRun.Outcome capped = run(ArmOrder.allInProposalOrder(), 3, 3 * ROWS);
    assertTrue(capped.evaluations() <= 3 * ROWS);
    assertEquals("budget", capped.stopReason());
    SimulatedRun.Outcome none = run(ArmOrder.allInProposalOrder(), 3, ROWS);
    assertEquals(ROWS, none.evaluations(), "only the incumbent's first evaluation");
    assertEquals(0, none.batches().get(0).size());
  }

  @Test
  void aSeedGivesTheSameRunEveryTime() {
    SimulatedRun.Outcome a = run(ArmOrder.firstInProposalOrder(), 11, Long.MAX_VALUE);
    SimulatedRun.Outcome b = run(ArmOrder.firstInProposalOrder(), 11, Long.MAX_VALUE);
    assertEquals(a.evaluations(), b.evaluations());
    assertEquals(a.quality(), b.quality());
    assertEquals(a.stopReason(), b.stopReason());
  }

  @Test
  void theOracleOrdersByHiddenQuality() {
    SimulatedRun.Outcome outcome = run(ArmOrder.oracle(), 4, Long.MAX_VALUE);
    for (List<SimulatedRun.Evaluated> batch : outcome.batches()) {
      for (int i = 1; i < batch.size(); i++) {
        assertTrue(batch.get(i - 1).hiddenGain() >= batch.get(i).hiddenGain());
      }
    }
  }
}
