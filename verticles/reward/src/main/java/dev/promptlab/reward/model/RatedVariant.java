package dev.promptlab.reward.model;

import dev.promptlab.reward.features.FeatureVector;

/**
 * One rated variant as the reward model learns it: the variant's features, its original's, how much structure it
 * kept, the generation settings that made it, and the trainer's rating. {@code experimentId} ties the two variants
 * of one comparison together: they stay on the same side of the held-out split and form the pairs whose order
 * the model must get right. {@code raterId} lets the model learn each trainer's offset (some rate generously); 0
 * for a prediction made for no trainer in particular.
 */
public record RatedVariant(long ratingId, long experimentId, long raterId, FeatureVector variant,
                           FeatureVector original, FeatureVector structure, String api, double[] parameters,
                           double rating) {

  public RatedVariant {
    parameters = parameters.clone();
  }

  @Override
  public double[] parameters() {
    return parameters.clone();
  }
}
