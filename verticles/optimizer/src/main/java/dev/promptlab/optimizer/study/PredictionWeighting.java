package dev.promptlab.optimizer.study;

import dev.promptlab.optimizer.model.PredictedObservation;
import dev.promptlab.optimizer.model.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How a study weighs predicted ratings against real ones (see the module README, "Predicted ratings as
 * observations").
 *
 * @param noiseFactor     a prediction's noise variance is this many times the model's fitted rating noise plus the
 *                        prediction's own variance, so even a sure prediction weighs at most {@code 1 / noiseFactor}
 *                        of a rating ({@code >= 1})
 * @param maxObservations at most this many predictions, the newest, are learnt (each costs like a rating in the
 *                        model's fit)
 * @param overtakenWithin a prediction within this unit-cube distance of a rated setting (same API) is not learnt
 */
public record PredictionWeighting(double noiseFactor, int maxObservations, double overtakenWithin) {

  /** Weighting with the default radius of a rated setting. */
  public PredictionWeighting(double noiseFactor, int maxObservations) {
    this(noiseFactor, maxObservations, 0.05);
  }

  public PredictionWeighting {
    if (!(noiseFactor >= 1) || !Double.isFinite(noiseFactor)) {
      throw new IllegalArgumentException("predicted_noise_factor must be a finite number >= 1");
    }
    if (maxObservations < 0) {
      throw new IllegalArgumentException("max_predicted must not be negative");
    }
    if (!(overtakenWithin >= 0) || !Double.isFinite(overtakenWithin)) {
      throw new IllegalArgumentException("predicted_overtaken_within must be a finite distance >= 0");
    }
  }

  /**
   * The newest {@code maxObservations} predictions ({@code samples} oldest first) that no rating has overtaken, oldest
   * first: a prediction within {@code overtakenWithin} of a rated setting ({@code ratedPoints}, encoded; the API is a
   * coordinate) is dropped, since a person's rating there says more than it. (The radius is the batch's minimum
   * separation by default, not the wider "near the best" of the status: a batch's points lie close together, and the
   * wider radius would drop nearly every unshown candidate as soon as the two shown beside it were rated.) Each is
   * corrected for its prompt version's effect ({@code effectOf}) like a rating, with the prediction's variance.
   */
  public List<PredictedObservation> choose(List<PredictedSample> samples, List<double[]> ratedPoints,
                                           ToDoubleFunction<String> effectOf) {
    List<PredictedObservation> chosen = new ArrayList<>();
    for (int i = samples.size() - 1; i >= 0 && chosen.size() < maxObservations; i--) {
      PredictedSample p = samples.get(i);
      double[] encoded = StudySpace.SPACE.encode(StudySpace.toNatural(p.parameters()));
      boolean overtaken = ratedPoints.stream()
        .anyMatch(r -> SearchSpace.squaredDistance(r, encoded) <= overtakenWithin * overtakenWithin);
      if (!overtaken) {
        chosen.add(new PredictedObservation(encoded, p.predictedRating() - effectOf.applyAsDouble(p.promptVersion()),
          p.uncertainty() * p.uncertainty()));
      }
    }
    Collections.reverse(chosen);
    return chosen;
  }

  /** The module defaults. */
  public static PredictionWeighting defaults() {
    return new PredictionWeighting(4.0, 64, 0.05);
  }
}
