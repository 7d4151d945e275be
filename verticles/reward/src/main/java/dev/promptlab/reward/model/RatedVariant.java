package dev.promptlab.reward.model;

import dev.promptlab.reward.features.FeatureVector;

/**
 * One rated variant as the reward model learns it: the variant's features, its original's, how much structure it
 * kept, the generation settings that made it, and the trainer's rating. {@code experimentId} ties the two variants
 * of one comparison together: they stay on the same side of the held-out split and form the pairs whose order
 * the model must get right.
 */
public record RatedVariant(long ratingId, long experimentId, FeatureVector variant, FeatureVector original,
                           FeatureVector structure, String api, double[] parameters, double rating) {

  public RatedVariant {
    parameters = parameters.clone();
  }

  @Override
  public double[] parameters() {
    return parameters.clone();
  }
}
