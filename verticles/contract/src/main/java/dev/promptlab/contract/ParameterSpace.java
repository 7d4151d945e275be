package dev.promptlab.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The generation parameter space of the seed design: one categorical (the image API) and three reals.
 * Ranges are inclusive.
 */
public final class ParameterSpace {

  private ParameterSpace() {
  }

  public static final String LEONARDO = "leonardo";
  public static final String STABLE_DIFFUSION = "stablediffusion";
  /** The categorical {@code api} dimension, in its fixed encoding order. */
  public static final List<String> APIS = List.of(LEONARDO, STABLE_DIFFUSION);

  public static final double STRENGTH_MIN = 0.1;
  public static final double STRENGTH_MAX = 0.5;
  public static final double GUIDANCE_MIN = 5.0;
  public static final double GUIDANCE_MAX = 12.0;
  public static final double CONTROL_MIN = 0.7;
  public static final double CONTROL_MAX = 0.99;

  /** The two training modes; each has its own optimizer study. */
  public static final List<String> MODES = List.of("structure", "surfaces");

  /** True for one of {@link #APIS} (false for null). */
  public static boolean isApi(String api) {
    return api != null && APIS.contains(api);
  }

  public static boolean isMode(String mode) {
    return mode != null && MODES.contains(mode);
  }

  /**
   * {@code count} uniformly random points of the space, pairwise apart: another api, or settings that differ by
   * more than 1 % of the ranges (redrawn on the rare near-collision). The one place random parameters are drawn:
   * the optimizer's answer when its model cannot give one, and the caller's when the optimizer does not answer.
   */
  public static List<GenerationParameters> randomPoints(int count, RandomGenerator random) {
    List<GenerationParameters> points = new ArrayList<>(count);
    int redraws = 0;
    while (points.size() < count) {
      GenerationParameters point = new GenerationParameters(APIS.get(random.nextInt(APIS.size())),
        between(random, STRENGTH_MIN, STRENGTH_MAX), between(random, GUIDANCE_MIN, GUIDANCE_MAX),
        between(random, CONTROL_MIN, CONTROL_MAX));
      if (points.stream().allMatch(p -> apart(p, point)) || ++redraws > 1000) {
        points.add(point);
      }
    }
    return points;
  }

  private static boolean apart(GenerationParameters a, GenerationParameters b) {
    if (!a.api().equals(b.api())) {
      return true;
    }
    double ds = (a.strength() - b.strength()) / (STRENGTH_MAX - STRENGTH_MIN);
    double dg = (a.guidanceScale() - b.guidanceScale()) / (GUIDANCE_MAX - GUIDANCE_MIN);
    double dc = (a.controlWeight() - b.controlWeight()) / (CONTROL_MAX - CONTROL_MIN);
    return ds * ds + dg * dg + dc * dc > 1e-4;
  }

  private static double between(RandomGenerator random, double min, double max) {
    return min + (max - min) * random.nextDouble();
  }
}
