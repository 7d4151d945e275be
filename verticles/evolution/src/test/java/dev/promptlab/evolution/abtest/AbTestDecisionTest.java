package dev.promptlab.evolution.abtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.evolution.abtest.AbArms.Arm;
import dev.promptlab.evolution.abtest.AbTestDecision.Outcome;
import dev.promptlab.evolution.abtest.AbTestDecision.Rule;
import dev.promptlab.evolution.abtest.AbTestDecision.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbTestDecisionTest {

  private static final Rule RULE = new Rule(5, 0.25, 0.8, 0.5);

  private static ArmTally tally(int... ratings) {
    double sum = 0;
    double squares = 0;
    for (int r : ratings) {
      sum += r;
      squares += r * r;
    }
    return new ArmTally(ratings.length, sum, squares);
  }

  @Test
  void computesMeanAndSampleStandardDeviation() {
    ArmTally t = tally(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(5.0, t.mean());
    assertEquals(Math.sqrt(32.0 / 7), t.standardDeviation(), 1e-12);
    assertNull(tally(3).standardDeviation());
    assertNull(ArmTally.EMPTY.mean());
  }

  @Test
  void promotesAClearlyBetterCandidate() {
    Verdict v = AbTestDecision.decide(RULE, tally(2, 3, 2, 3, 2), tally(4, 5, 4, 5, 4));
    assertEquals(Outcome.PROMOTE, v.outcome());
    assertTrue(v.reason().startsWith("candidate ahead by 2.00 stars"), v.reason());
    assertEquals(2.0, v.statistics().get("difference"));
    assertTrue((double) v.statistics().get("probability_candidate_better") > 0.99);
    assertEquals(5, ((Map<?, ?>) v.statistics().get("candidate")).get("count"));
  }

  @Test
  void keepsTheCurrentVersionOnASmallOrNoisyLead() {
    Verdict small = AbTestDecision.decide(RULE, tally(3, 3, 3, 3, 3), tally(3, 3, 3, 3, 4));
    assertEquals(Outcome.KEEP, small.outcome());
    assertTrue(small.reason().startsWith("difference 0.20 is below the margin 0.25"), small.reason());
    Verdict noisy = AbTestDecision.decide(RULE, tally(1, 5, 1, 5, 3), tally(5, 1, 5, 2, 5));
    assertEquals(Outcome.KEEP, noisy.outcome());
    assertTrue(noisy.reason().contains("not enough evidence"), noisy.reason());
  }

  @Test
  void keepsTheCurrentVersionWhenTheCandidateIsWorse() {
    assertEquals(Outcome.KEEP, AbTestDecision.decide(RULE, tally(4, 4, 5, 4, 4), tally(2, 2, 3, 2, 2)).outcome());
  }

  @Test
  void identicalRatingsCannotClaimCertainty() {
    // Without the sd floor, 4,4,4,4,4 against 3.6 on average would be "certain"; with it P is about 0.9.
    Verdict v = AbTestDecision.decide(RULE, tally(4, 4, 3, 4, 3), tally(4, 4, 4, 4, 4));
    double p = (double) v.statistics().get("probability_candidate_better");
    assertTrue(p > 0.8 && p < 0.99, "P = " + p);
  }

  @Test
  void needsEnoughSamplesInBothArms() {
    assertTrue(!AbTestDecision.complete(RULE, tally(1, 1, 1, 1, 1), tally(5, 5, 5, 5)));
    Verdict v = AbTestDecision.decide(RULE, tally(1, 1, 1, 1, 1), tally(5, 5, 5, 5));
    assertEquals(Outcome.KEEP, v.outcome());
    assertTrue(v.reason().startsWith("not enough rated samples"));
  }

  @Test
  void normalCdfIsAccurate() {
    assertEquals(0.5, AbTestDecision.standardNormalCdf(0), 1e-7);
    assertEquals(0.841344746, AbTestDecision.standardNormalCdf(1), 1e-6);
    assertEquals(0.022750132, AbTestDecision.standardNormalCdf(-2), 1e-6);
  }

  @Test
  void everyPairOfSlotsHoldsOneOfEachArmInAnOrderThatVaries() {
    int candidateFirst = 0;
    for (long slot = 0; slot < 200; slot += 2) {
      Arm first = AbArms.armOf(7, slot);
      Arm second = AbArms.armOf(7, slot + 1);
      assertTrue(first != second, "slots " + slot + " and " + (slot + 1));
      if (first == Arm.CANDIDATE) {
        candidateFirst++;
      }
      assertEquals(first, AbArms.armOf(7, slot), "deterministic");
    }
    assertTrue(candidateFirst > 20 && candidateFirst < 80, "order varies: " + candidateFirst + "/100");
  }
}
