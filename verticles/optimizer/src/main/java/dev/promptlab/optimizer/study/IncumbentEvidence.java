package dev.promptlab.optimizer.study;

import dev.promptlab.optimizer.model.GaussianProcess;
import dev.promptlab.optimizer.model.SearchSpace;
import dev.promptlab.optimizer.model.Surrogate;
import java.util.List;

/**
 * What the data say about the model's best setting (the incumbent): the model's estimate with a credible
 * interval, and the ratings actually given near it — so a status never passes a posterior mean off as an
 * observed average, and phase 1 never ends on one lucky vote.
 *
 * @param estimate       posterior mean of the rating at the incumbent
 * @param lower          lower bound of the central 90 % interval of that rating: the model's posterior
 *                       variance plus {@link #RATER_SD}^2 / (ratings near it) — a model fitted to a few
 *                       integer ratings often learns almost no noise and would call one vote certain
 * @param upper          upper bound of that interval
 * @param nearCount      ratings within {@link #NEAR} (unit cube, same API) of the incumbent
 * @param nearAverage    their average (NaN when there are none)
 */
public record IncumbentEvidence(double estimate, double lower, double upper, int nearCount, double nearAverage) {

  /** Unit-cube distance within which a rating counts as a rating "of" the incumbent's setting. */
  public static final double NEAR = 0.15;
  /**
   * Floor of the spread of the ratings one setting gets (rounding to whole stars alone gives 0.29; trainers'
   * disagreement and moods add more): a single vote cannot pin a setting's rating below this.
   */
  static final double RATER_SD = 0.75;
  /** One-sided 95 % normal quantile: the interval is the central 90 %. */
  static final double Z = 1.6449;

  static IncumbentEvidence of(Surrogate model, List<double[]> inputs, List<Double> ratings) {
    return at(model, model.incumbent(), inputs, ratings);
  }

  /** The same figures for another observed setting {@code best} (encoded), e.g. the best of one API. */
  static IncumbentEvidence at(Surrogate model, double[] best, List<double[]> inputs, List<Double> ratings) {
    GaussianProcess.Prediction p = model.predict(best);
    int count = 0;
    double sum = 0;
    for (int i = 0; i < inputs.size(); i++) {
      if (SearchSpace.squaredDistance(inputs.get(i), best) <= NEAR * NEAR) {
        count++;
        sum += ratings.get(i);
      }
    }
    double sd = Math.sqrt(Math.max(0, p.variance()) + RATER_SD * RATER_SD / Math.max(1, count));
    return new IncumbentEvidence(p.mean(), p.mean() - Z * sd, p.mean() + Z * sd, count,
      count == 0 ? Double.NaN : sum / count);
  }
}
