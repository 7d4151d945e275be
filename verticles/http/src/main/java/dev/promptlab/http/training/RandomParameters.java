package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Uniform random points of the parameter space, used when the optimizer cannot answer (the seed's
 * "fallback to random parameters"). Points of one draw are distinct.
 */
public final class RandomParameters {

  private RandomParameters() {
  }

  public static List<GenerationParameters> draw(RandomGenerator random, int count) {
    List<GenerationParameters> points = new ArrayList<>(count);
    while (points.size() < count) {
      GenerationParameters point = new GenerationParameters(
        ParameterSpace.APIS.get(random.nextInt(ParameterSpace.APIS.size())),
        between(random, ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX),
        between(random, ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX),
        between(random, ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX));
      if (!points.contains(point)) {
        points.add(point);
      }
    }
    return points;
  }

  private static double between(RandomGenerator random, double min, double max) {
    return min + (max - min) * random.nextDouble();
  }
}
