package dev.promptlab.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParameterSpaceTest {

  @Test
  void randomPointsAreDistinctInsideTheSpaceAndCoverEveryApi() {
    Random random = new Random(7);
    Set<String> apis = new HashSet<>();
    for (int round = 0; round < 200; round++) {
      List<GenerationParameters> points = ParameterSpace.randomPoints(2, random);
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
  void aSeededDrawIsRepeatable() {
    assertEquals(ParameterSpace.randomPoints(5, new Random(11)), ParameterSpace.randomPoints(5, new Random(11)));
  }

  @Test
  void modesAreRecognised() {
    assertTrue(ParameterSpace.isMode("structure"));
    assertTrue(!ParameterSpace.isMode("kitchen") && !ParameterSpace.isMode(null));
  }
}
