package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomParametersTest {

  @Test
  void pointsAreDistinctAndInsideTheSpace() {
    Random random = new Random(7);
    Set<String> apis = new HashSet<>();
    for (int round = 0; round < 200; round++) {
      List<GenerationParameters> points = RandomParameters.draw(random, 2);
      assertEquals(2, points.size());
      assertNotEquals(points.get(0), points.get(1));
      for (GenerationParameters p : points) {
        apis.add(p.api());
        assertTrue(p.strength() >= ParameterSpace.STRENGTH_MIN && p.strength() <= ParameterSpace.STRENGTH_MAX);
        assertTrue(p.guidanceScale() >= ParameterSpace.GUIDANCE_MIN && p.guidanceScale() <= ParameterSpace.GUIDANCE_MAX);
        assertTrue(p.controlWeight() >= ParameterSpace.CONTROL_MIN && p.controlWeight() <= ParameterSpace.CONTROL_MAX);
      }
    }
    assertEquals(Set.copyOf(ParameterSpace.APIS), apis);
  }

  @Test
  void experimentIdsFollowTheSchemaRule() {
    for (int i = 0; i < 100; i++) {
      assertTrue(ExperimentIds.next().matches("^exp_[0-9a-z]{13}$"));
    }
  }
}
