package dev.promptlab.optimizer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

  private final SearchSpace space = new SearchSpace(List.of(
    new SearchSpace.Categorical("api", List.of("a", "b")),
    new SearchSpace.Real("strength", 0.1, 0.5),
    new SearchSpace.Real("guidance", 5, 12)));

  @Test
  void encodesRealsToTheUnitIntervalAndCategoricalsOneHot() {
    assertEquals(4, space.encodedSize());
    assertArrayEquals(new int[] {2, 3}, space.continuousColumns());
    assertArrayEquals(new double[] {0, 1, 0.5, 1.0}, space.encode(new double[] {1, 0.3, 12}), 1e-12);
    assertArrayEquals(new double[] {1, 0.3, 12}, space.decode(new double[] {0.2, 0.7, 0.5, 1.0}), 1e-12);
  }

  @Test
  void decodingClipsIntoTheBounds() {
    assertArrayEquals(new double[] {0, 0.1, 12}, space.decode(new double[] {1, 0, -0.3, 1.7}), 1e-12);
  }

  @Test
  void samplesAreValidEncodings() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      double[] z = space.sample(random);
      assertArrayEquals(z, space.snap(z), 1e-12);
    }
  }

  @Test
  void rejectsUnknownLevelsAndBadBounds() {
    assertThrows(IllegalArgumentException.class, () -> space.encode(new double[] {2, 0.3, 6}));
    assertThrows(IllegalArgumentException.class, () -> space.encode(new double[] {0.5, 0.3, 6}));
    assertThrows(IllegalArgumentException.class, () -> new SearchSpace.Real("x", 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SearchSpace.Categorical("c", List.of("only")));
  }

  @Test
  void namesTheColumnsOfCategoricalLevels() {
    SearchSpace space = new SearchSpace(List.of(new SearchSpace.Real("x", 0, 1),
      new SearchSpace.Categorical("api", List.of("a", "b", "c")), new SearchSpace.Real("y", 0, 1)));
    assertArrayEquals(new int[] {1, 2, 3}, space.levelColumns());
    assertArrayEquals(new int[] {0, 4}, space.continuousColumns());
  }

  @Test
  void designStratifiesCategoricalLevels() {
    List<double[]> points = SpaceFillingDesign.points(space, 16, new SplittableRandom(4));
    int first = 0;
    for (double[] p : points) {
      first += (int) p[0];
    }
    // 16 Sobol points split evenly between two levels.
    assertEquals(8, first);
  }
}
