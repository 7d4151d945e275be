package dev.promptlab.textopt.meta;

/**
 * How a candidate's predicted gain and its uncertainty become the number candidates are ordered by. The two scores
 * that weigh the uncertainty keep a candidate unlike anything in the history from being always last, so the history
 * keeps learning about such candidates; {@link #MEAN} is there to measure what that exploration is worth.
 */
public enum RankingScore {

  /**
   * Expected improvement of the gain beyond the acceptance margin: E[max(0, gain - margin)] under the predictive
   * normal. Large for a candidate likely to clear the margin, and for one so uncertain it might clear it widely.
   */
  EXPECTED_IMPROVEMENT,
  /** Upper confidence bound: predicted gain plus {@code exploration} predictive standard deviations. */
  UPPER_CONFIDENCE,
  /** The predicted gain alone. */
  MEAN
}
