package dev.promptlab.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerRunTest {

  /** Every third experiment shows one setting twice (as an A/B test's arms are rendered); the others two settings. */
  private static final class EveryThirdRepeated implements StudyDriver {
    private int experiments;

    @Override
    public List<GenerationParameters> experiment() {
      experiments++;
      GenerationParameters a = new GenerationParameters(ParameterSpace.APIS.get(0), 0.3, 7.0, 0.8);
      GenerationParameters b = new GenerationParameters(ParameterSpace.APIS.get(0), 0.4, 7.0, 0.8);
      return experiments % 3 == 0 ? List.of(a, a) : List.of(a, b);
    }

    @Override
    public PhaseOne rate(List<Integer> ratings) {
      return new PhaseOne(false, null, null);
    }
  }

  @Test
  void experimentsWhoseOptionsShareOneSettingAreCounted() throws Exception {
    TrainerRun.Outcome outcome = TrainerRun.optimizer(TasteFamily.CENTRE_BROAD.draw(0, 0), new EveryThirdRepeated(), 18, 0);

    assertEquals(18, outcome.trueRatings().length);
    assertEquals(3, outcome.repeatedPoints(), "experiments 3, 6 and 9 of 9");
    assertEquals(0, TrainerRun.random(TasteFamily.CENTRE_BROAD.draw(0, 0), 18, 0).repeatedPoints());
  }
}
