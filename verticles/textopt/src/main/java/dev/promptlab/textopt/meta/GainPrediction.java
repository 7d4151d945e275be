package dev.promptlab.textopt.meta;

/**
 * The meta-model's view of one candidate before it is evaluated.
 *
 * @param gain the predicted gain over the incumbent on held-out rows
 * @param sd the predictive standard deviation of the gain that will be observed (the evaluation's noise included)
 * @param chanceAboveMargin the predicted probability that the observed gain clears the margin
 * @param score the number candidates are ordered by ({@link RankingScore})
 */
public record GainPrediction(double gain, double sd, double chanceAboveMargin, double score) {
}
