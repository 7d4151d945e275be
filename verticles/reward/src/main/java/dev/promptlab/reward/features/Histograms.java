package dev.promptlab.reward.features;

/** Reading quantiles off histograms, which the features count instead of sorting a megapixel's values. */
final class Histograms {

  private Histograms() {
  }

  /** The first bin at which the running total of {@code counts} reaches {@code count}; -1 when it never does. */
  static int binReaching(int[] counts, long count) {
    long seen = 0;
    for (int bin = 0; bin < counts.length; bin++) {
      seen += counts[bin];
      if (seen >= count) {
        return bin;
      }
    }
    return -1;
  }
}
