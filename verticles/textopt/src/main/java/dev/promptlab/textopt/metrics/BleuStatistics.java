package dev.promptlab.textopt.metrics;

/**
 * BLEU's sufficient statistics, summed over rows for the corpus score.
 *
 * @param hypothesisLength tokens in the hypotheses
 * @param referenceLength tokens in the closest references
 * @param correct clipped matching n-grams per order (index 0 is unigrams)
 * @param total hypothesis n-grams per order
 */
record BleuStatistics(int hypothesisLength, int referenceLength, int[] correct, int[] total) {

  static BleuStatistics empty() {
    return new BleuStatistics(0, 0, new int[Bleu.MAX_ORDER], new int[Bleu.MAX_ORDER]);
  }

  BleuStatistics plus(BleuStatistics other) {
    int[] sumCorrect = new int[Bleu.MAX_ORDER];
    int[] sumTotal = new int[Bleu.MAX_ORDER];
    for (int n = 0; n < Bleu.MAX_ORDER; n++) {
      sumCorrect[n] = correct[n] + other.correct[n];
      sumTotal[n] = total[n] + other.total[n];
    }
    return new BleuStatistics(hypothesisLength + other.hypothesisLength, referenceLength + other.referenceLength,
      sumCorrect, sumTotal);
  }
}
