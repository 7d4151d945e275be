package dev.promptlab.evolution.abtest;

/** The rated samples of one A/B arm: how many, their sum and sum of squares (enough for mean and variance). */
public record ArmTally(int count, double sum, double sumOfSquares) {

  public static final ArmTally EMPTY = new ArmTally(0, 0, 0);

  public Double mean() {
    return count == 0 ? null : sum / count;
  }

  /** The sample standard deviation, or null with fewer than two samples. */
  public Double standardDeviation() {
    if (count < 2) {
      return null;
    }
    double variance = (sumOfSquares - sum * sum / count) / (count - 1);
    return Math.sqrt(Math.max(0, variance));
  }
}
