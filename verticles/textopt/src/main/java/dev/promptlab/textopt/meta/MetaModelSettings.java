package dev.promptlab.textopt.meta;

import java.util.Objects;

/**
 * What the meta-model needs to be told.
 *
 * @param minHistory the fewest evaluated candidates it learns from; with fewer it keeps the optimizer model's order
 * @param maxHistory the most it learns from: the latest ones, so a long history neither slows the fit nor keeps
 *     the weight of how the optimizer model wrote long ago
 * @param margin the gain over the incumbent a candidate needs to be kept (the loop's margin)
 * @param score how candidates are ordered
 * @param exploration the standard deviations added by {@link RankingScore#UPPER_CONFIDENCE}
 */
public record MetaModelSettings(int minHistory, int maxHistory, double margin, RankingScore score,
                                double exploration) {

  /** Twenty evaluated candidates: about four iterations of five proposals, over a dozen features. */
  public static final int DEFAULT_MIN_HISTORY = 20;
  public static final int DEFAULT_MAX_HISTORY = 2000;

  public MetaModelSettings {
    Objects.requireNonNull(score, "score");
    if (minHistory < 2) {
      throw new IllegalArgumentException("minHistory must be 2 or more, got " + minHistory);
    }
    if (maxHistory < minHistory) {
      throw new IllegalArgumentException("maxHistory (" + maxHistory + ") must not be below minHistory ("
        + minHistory + ")");
    }
    if (!(margin >= 0 && margin < 1)) {
      throw new IllegalArgumentException("margin must be in [0, 1), got " + margin);
    }
    if (!(exploration >= 0 && Double.isFinite(exploration))) {
      throw new IllegalArgumentException("exploration must be finite and not negative, got " + exploration);
    }
  }

  /** Expected improvement over {@code margin}, with the default history bounds. */
  public static MetaModelSettings withMargin(double margin) {
    return new MetaModelSettings(DEFAULT_MIN_HISTORY, DEFAULT_MAX_HISTORY, margin,
      RankingScore.EXPECTED_IMPROVEMENT, 1.0);
  }

  public MetaModelSettings withScore(RankingScore score) {
    return new MetaModelSettings(minHistory, maxHistory, margin, score, exploration);
  }

  public MetaModelSettings withMinHistory(int minHistory) {
    return new MetaModelSettings(minHistory, maxHistory, margin, score, exploration);
  }
}
