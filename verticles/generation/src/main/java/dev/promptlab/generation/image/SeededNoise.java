package dev.promptlab.generation.image;

/**
 * Reproducible noise addressed by position rather than drawn in sequence, so a value depends only on
 * the seed, the stream and the pixel — never on the order in which pixels are visited.
 */
final class SeededNoise {

  private final long seed;

  SeededNoise(long seed) {
    this.seed = seed;
  }

  /** Approximately standard-normal value for one (stream, index) pair. */
  float gaussian(int stream, long index) {
    long bits = mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + index));
    // Sum of four 16-bit uniforms: mean 2, variance 1/3, close enough to normal for film grain.
    float sum = 0f;
    for (int i = 0; i < 4; i++) {
      sum += ((bits >>> (16 * i)) & 0xFFFF) / 65536f;
    }
    return (sum - 2f) * 1.7320508f;
  }

  /** Uniform value in [-1, 1) for one (stream, index) pair. */
  float signedUniform(int stream, long index) {
    long bits = mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + index));
    return ((bits >>> 40) / (float) (1L << 24)) * 2f - 1f;
  }

  /**
   * Smooth value noise in [-1, 1] over a {@code width}×{@code height} image: random values on a lattice
   * with {@code cell} pixels between points, interpolated with a smoothstep.
   */
  Field field(int stream, int width, int height, int cell) {
    int cols = width / cell + 2;
    int rows = height / cell + 2;
    float[] lattice = new float[cols * rows];
    for (int i = 0; i < lattice.length; i++) {
      lattice[i] = signedUniform(stream, i);
    }
    return new Field(lattice, cols, cell);
  }

  /** A smooth noise field; {@link #at} is cheap enough to call per pixel. */
  static final class Field {
    private final float[] lattice;
    private final int cols;
    private final float inverseCell;

    private Field(float[] lattice, int cols, int cell) {
      this.lattice = lattice;
      this.cols = cols;
      this.inverseCell = 1f / cell;
    }

    float at(int x, int y) {
      float fx = x * inverseCell;
      float fy = y * inverseCell;
      int gx = (int) fx;
      int gy = (int) fy;
      float tx = smooth(fx - gx);
      float ty = smooth(fy - gy);
      int i = gy * cols + gx;
      float top = lattice[i] + (lattice[i + 1] - lattice[i]) * tx;
      float bottom = lattice[i + cols] + (lattice[i + cols + 1] - lattice[i + cols]) * tx;
      return top + (bottom - top) * ty;
    }

    private static float smooth(float t) {
      return t * t * (3f - 2f * t);
    }
  }

  /** The SplitMix64 finaliser: a strong 64-bit mixing function. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
