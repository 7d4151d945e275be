package dev.promptlab.optimizer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * A mixed search space of real and categorical dimensions, and its encoding into the unit cube
 * that the Gaussian process works in.
 *
 * <p>A <em>natural</em> point has one value per dimension: a real in its own units, or the level index
 * of a categorical. Its <em>encoding</em> scales each real to [0, 1] and expands each categorical into
 * one-hot columns (one kernel lengthscale per column, so the model learns how much each level
 * differs from the others, within the floor of {@link HyperparameterFitter.Bounds#minLevelLengthscale} that keeps the
 * levels correlated; {@link #levelColumns()} names those columns).
 */
public final class SearchSpace {

  /** One dimension of the space. */
  public sealed interface Dimension permits Real, Categorical {
    String name();
  }

  /** A real dimension with inclusive bounds. */
  public record Real(String name, double lower, double upper) implements Dimension {
    public Real {
      if (!(upper > lower)) {
        throw new IllegalArgumentException(name + ": upper bound must exceed lower bound");
      }
    }
  }

  /** A categorical dimension; a natural value is the index into {@code levels}. */
  public record Categorical(String name, List<String> levels) implements Dimension {
    public Categorical {
      levels = List.copyOf(levels);
      if (levels.size() < 2) {
        throw new IllegalArgumentException(name + ": a categorical needs at least two levels");
      }
    }
  }

  private final List<Dimension> dimensions;
  private final int[] firstColumn;
  private final int[] continuousColumns;
  private final int encodedSize;

  public SearchSpace(List<Dimension> dimensions) {
    if (dimensions.isEmpty()) {
      throw new IllegalArgumentException("a search space needs at least one dimension");
    }
    this.dimensions = List.copyOf(dimensions);
    this.firstColumn = new int[dimensions.size()];
    List<Integer> continuous = new ArrayList<>();
    int column = 0;
    for (int d = 0; d < dimensions.size(); d++) {
      firstColumn[d] = column;
      if (dimensions.get(d) instanceof Categorical c) {
        column += c.levels().size();
      } else {
        continuous.add(column);
        column++;
      }
    }
    this.encodedSize = column;
    this.continuousColumns = continuous.stream().mapToInt(Integer::intValue).toArray();
  }

  public List<Dimension> dimensions() {
    return dimensions;
  }

  /** Number of columns of an encoded point. */
  public int encodedSize() {
    return encodedSize;
  }

  /** Encoded columns that hold a scaled real (the ones a local optimiser may move). */
  public int[] continuousColumns() {
    return continuousColumns.clone();
  }

  /** Encoded columns that hold one level of a categorical (one-hot). */
  public int[] levelColumns() {
    return IntStream.range(0, encodedSize)
      .filter(c -> Arrays.stream(continuousColumns).noneMatch(k -> k == c))
      .toArray();
  }

  /** Natural point → unit-cube encoding. */
  public double[] encode(double[] natural) {
    if (natural.length != dimensions.size()) {
      throw new IllegalArgumentException("expected " + dimensions.size() + " values, got " + natural.length);
    }
    double[] z = new double[encodedSize];
    for (int d = 0; d < dimensions.size(); d++) {
      Dimension dim = dimensions.get(d);
      if (dim instanceof Real r) {
        z[firstColumn[d]] = (natural[d] - r.lower()) / (r.upper() - r.lower());
      } else {
        Categorical c = (Categorical) dim;
        int level = (int) natural[d];
        if (level < 0 || level >= c.levels().size() || level != natural[d]) {
          throw new IllegalArgumentException(c.name() + ": no level " + natural[d]);
        }
        z[firstColumn[d] + level] = 1.0;
      }
    }
    return z;
  }

  /** Unit-cube encoding → natural point; reals are clipped into their bounds, categoricals take the largest column. */
  public double[] decode(double[] encoded) {
    double[] natural = new double[dimensions.size()];
    for (int d = 0; d < dimensions.size(); d++) {
      Dimension dim = dimensions.get(d);
      int col = firstColumn[d];
      if (dim instanceof Real r) {
        double u = Math.min(1.0, Math.max(0.0, encoded[col]));
        natural[d] = Math.min(r.upper(), Math.max(r.lower(), r.lower() + u * (r.upper() - r.lower())));
      } else {
        int levels = ((Categorical) dim).levels().size();
        int best = 0;
        for (int k = 1; k < levels; k++) {
          if (encoded[col + k] > encoded[col + best]) {
            best = k;
          }
        }
        natural[d] = best;
      }
    }
    return natural;
  }

  /** Puts an encoded point onto the valid set: reals clipped to [0, 1], each categorical exactly one-hot. */
  public double[] snap(double[] encoded) {
    return encode(decode(encoded));
  }

  /** A uniformly random encoded point. */
  public double[] sample(RandomGenerator random) {
    double[] unit = new double[dimensions.size()];
    for (int d = 0; d < unit.length; d++) {
      unit[d] = random.nextDouble();
    }
    return fromUnit(unit);
  }

  /**
   * Maps a point of the unit cube with one coordinate per dimension (e.g. a low-discrepancy
   * sequence) to an encoded point: reals directly, categoricals by splitting [0, 1) into equal cells.
   */
  public double[] fromUnit(double[] unit) {
    double[] z = new double[encodedSize];
    for (int d = 0; d < dimensions.size(); d++) {
      Dimension dim = dimensions.get(d);
      double u = Math.min(Math.nextDown(1.0), Math.max(0.0, unit[d]));
      if (dim instanceof Real) {
        z[firstColumn[d]] = unit[d] < 0 ? 0 : Math.min(1.0, unit[d]);
      } else {
        int levels = ((Categorical) dim).levels().size();
        z[firstColumn[d] + (int) Math.floor(u * levels)] = 1.0;
      }
    }
    return z;
  }

  /** Squared Euclidean distance of two encoded points. */
  public static double squaredDistance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }
}
