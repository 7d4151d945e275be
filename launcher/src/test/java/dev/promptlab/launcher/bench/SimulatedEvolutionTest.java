package dev.promptlab.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedEvolutionTest {

  /** Uploads of two options rated 2 each; answers which of them were A/B pairs (1-based). */
  private static List<Integer> pairedUploads(SimulatedEvolution evolution, int uploads) {
    List<Integer> paired = new ArrayList<>();
    for (int u = 1; u <= uploads; u++) {
      List<SimulatedEvolution.Assignment> options = evolution.assign(2);
      if (options.get(0).abTestId() != null) {
        assertEquals(options.get(0).abTestId(), options.get(1).abTestId());
        assertNotEquals(options.get(0).version(), options.get(1).version(), "one option of each arm");
        paired.add(u);
      } else {
        assertNull(options.get(1).abTestId());
      }
      evolution.rated(options.stream().map(o -> new SimulatedEvolution.Rating(o.version(), o.abTestId(), 2)).toList());
    }
    return paired;
  }

  /**
   * The evolution's defaults with low ratings: the periodic trigger at sample 10, a test of 5 pairs, decided at
   * sample 20; 5 samples later (26, the next pass) low performance starts the next one, decided at 36; the periodic
   * checkpoint at 40 falls within {@code min_samples_between} of 36, so low performance starts the third at 42.
   */
  @Test
  void testsFollowTheEvolutionsTriggersAndTakeFivePairsEach() {
    SimulatedEvolution evolution = new SimulatedEvolution();
    List<Integer> paired = pairedUploads(evolution, 25);
    assertEquals(List.of(6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 23, 24, 25), paired);
    assertEquals(3, evolution.evolutions());
    assertEquals(0, evolution.promotions(), "equal ratings keep the current version");
  }
}
