package dev.promptlab.optimizer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.hipparchus.random.SobolSequenceGenerator;

/**
 * Space-filling points from the Sobol sequence (one coordinate per dimension of the space; a
 * categorical takes equal cells of [0, 1), so levels are stratified too), randomised by a
 * Cranley-Patterson shift: every coordinate moves by the same random offset modulo 1, which keeps the
 * even spread while giving each seed its own design.
 */
public final class SpaceFillingDesign {

  /** Sobol prefixes already generated, by dimension (generation reads direction numbers from a resource). */
  private static final Map<Integer, double[][]> PREFIXES = new ConcurrentHashMap<>();

  private SpaceFillingDesign() {
  }

  /** A random shift for {@link #point}: one uniform offset per dimension of the space. */
  public static double[] shift(SearchSpace space, RandomGenerator random) {
    double[] shift = new double[space.dimensions().size()];
    for (int d = 0; d < shift.length; d++) {
      shift[d] = random.nextDouble();
    }
    return shift;
  }

  /** The {@code index}-th point (0-based) of the design with the given shift, encoded. */
  public static double[] point(SearchSpace space, int index, double[] shift) {
    double[] unit = sobol(space.dimensions().size(), index + 1)[index].clone();
    for (int d = 0; d < unit.length; d++) {
      unit[d] = (unit[d] + shift[d]) % 1.0;
    }
    return space.fromUnit(unit);
  }

  /** The first {@code count} points of a freshly shifted design, encoded. */
  public static List<double[]> points(SearchSpace space, int count, RandomGenerator random) {
    double[] shift = shift(space, random);
    double[][] prefix = sobol(space.dimensions().size(), count);
    List<double[]> points = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] unit = prefix[i].clone();
      for (int d = 0; d < unit.length; d++) {
        unit[d] = (unit[d] + shift[d]) % 1.0;
      }
      points.add(space.fromUnit(unit));
    }
    return points;
  }

  private static double[][] sobol(int dimension, int count) {
    double[][] cached = PREFIXES.get(dimension);
    if (cached != null && cached.length >= count) {
      return cached;
    }
    int size = Math.max(4096, Integer.highestOneBit(Math.max(1, count - 1)) << 1);
    SobolSequenceGenerator generator = new SobolSequenceGenerator(dimension);
    double[][] prefix = new double[size][];
    for (int i = 0; i < size; i++) {
      prefix[i] = generator.nextVector();
    }
    PREFIXES.put(dimension, prefix);
    return prefix;
  }
}
