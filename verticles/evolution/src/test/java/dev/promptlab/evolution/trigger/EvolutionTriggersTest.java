package dev.promptlab.evolution.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.promptlab.evolution.trigger.EvolutionTriggers.Now;
import dev.promptlab.evolution.trigger.EvolutionTriggers.Outcome;
import dev.promptlab.evolution.trigger.EvolutionTriggers.Settings;
import dev.promptlab.evolution.trigger.EvolutionTriggers.State;
import dev.promptlab.evolution.trigger.EvolutionTriggers.Trigger;
import org.junit.jupiter.api.Test;

class EvolutionTriggersTest {

  private static final Settings SEED = new Settings(10, 4.5, 20, 4.0, 15, 5);
  private static final State FRESH = new State(null, null, 0, 0);

  private static Outcome at(State state, int samples, Double avg, boolean busy) {
    return EvolutionTriggers.evaluate(SEED, state, new Now(samples, avg, busy));
  }

  @Test
  void nothingBeforeTheFirstCheckpoint() {
    Outcome o = at(FRESH, 9, 2.0, false);
    assertNull(o.fired());
    assertEquals(10, o.next().nextEvolutionAtSample());
  }

  @Test
  void firesEveryTenSamplesWhileBelowTheBar() {
    Outcome o = at(FRESH, 10, 3.9, false);
    assertEquals(Trigger.PERIODIC, o.fired());
    assertEquals(20, o.next().nextEvolutionAtSample());
    assertEquals(10, o.next().lastFinishedAtSample());
  }

  @Test
  void aCheckpointPassedAboveTheBarOrWhileBusyIsSkipped() {
    Outcome good = at(FRESH, 10, 4.6, false);
    assertNull(good.fired());
    assertEquals(20, good.next().nextEvolutionAtSample());
    Outcome busy = at(new State(20, 3.0, 10, 10), 21, 3.0, true);
    assertNull(busy.fired());
    assertEquals(30, busy.next().nextEvolutionAtSample());
  }

  @Test
  void lowPerformanceAfterTwentySamplesOnceFree() {
    State afterAbTest = new State(30, 3.5, 24, 24);
    assertNull(at(afterAbTest, 26, 3.5, false).fired(), "within 5 samples of the last A/B test");
    assertEquals(Trigger.LOW_PERFORMANCE, at(afterAbTest, 29, 3.5, false).fired());
    assertNull(at(afterAbTest, 29, 4.2, false).fired(), "not low");
  }

  @Test
  void plateauWhenTheBestHasNotImprovedForFifteenSamples() {
    State state = new State(40, 4.2, 12, 12);
    assertNull(at(state, 26, 4.1, false).fired());
    assertEquals(Trigger.PLATEAU, at(state, 27, 4.1, false).fired());
    Outcome improved = at(state, 27, 4.3, false);
    assertNull(improved.fired());
    assertEquals(27, improved.next().bestAtSample());
    assertEquals(4.3, improved.next().bestAvgRating());
  }

  @Test
  void neverWhileBusyNorTooSoon() {
    assertNull(at(FRESH, 10, 2.0, true).fired());
    assertNull(at(new State(20, 2.0, 0, 18), 20, 2.0, false).fired());
  }
}
