package dev.promptlab.textopt.meta;

import java.util.Objects;

/**
 * One evaluated candidate of a past iteration (of this run or another): its features when it was proposed and the
 * gain observed when it was evaluated.
 *
 * @param features the candidate's {@link ProposalFeatures} vector
 * @param gain the candidate's held-out score minus the incumbent's, on the same rows
 */
public record GainObservation(double[] features, double gain) {

  public GainObservation {
    Objects.requireNonNull(features, "features");
    for (int j = 0; j < features.length; j++) {
      if (!Double.isFinite(features[j])) {
        throw new IllegalArgumentException("feature " + j + " is " + features[j] + "; features must be finite");
      }
    }
    if (!Double.isFinite(gain)) {
      throw new IllegalArgumentException("the gain must be finite, got " + gain);
    }
    features = features.clone();
  }

  @Override
  public double[] features() {
    return features.clone();
  }
}
