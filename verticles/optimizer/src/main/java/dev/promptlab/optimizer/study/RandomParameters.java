package dev.promptlab.optimizer.study;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.optimizer.model.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Uniformly random parameter sets inside the ranges: what a study answers when its model cannot. */
public final class RandomParameters {

  private RandomParameters() {
  }

  /** {@code count} random points, pairwise apart in the unit cube (redrawn on the rare near-collision). */
  public static List<GenerationParameters> draw(int count, RandomGenerator random) {
    List<double[]> encoded = new ArrayList<>();
    List<GenerationParameters> points = new ArrayList<>();
    int attempts = 0;
    while (points.size() < count) {
      double[] z = StudySpace.SPACE.sample(random);
      boolean apart = encoded.stream().allMatch(e -> SearchSpace.squaredDistance(e, z) > 1e-4);
      if (apart || ++attempts > 1000) {
        encoded.add(z);
        points.add(StudySpace.toParameters(StudySpace.SPACE.decode(z)));
      }
    }
    return points;
  }
}
