package dev.promptlab.reward.model;

import dev.promptlab.reward.features.FeatureVector;

/**
 * One rated variant as the reward model learns it: the variant's features, its original's, how much structure it
 * kept, the generation settings and prompt version that made it, the learned embedding of the variant when an
 * encoder is configured (null otherwise), and the trainer's rating. {@code experimentId} ties the two variants of
 * one comparison together: they stay on the same side of the held-out split and form the pairs whose order the
 * model must get right. {@code raterId} lets the model learn each trainer's offset (some rate generously); 0 for
 * a prediction made for no trainer in particular. {@code promptVersion} may be null (not known).
 */
public record RatedVariant(long ratingId, long experimentId, long raterId, FeatureVector variant,
                           FeatureVector original, FeatureVector structure, String api, String promptVersion,
                           double[] parameters, float[] embedding, double rating) {

  public RatedVariant {
    parameters = parameters.clone();
    embedding = embedding == null ? null : embedding.clone();
  }

  @Override
  public double[] parameters() {
    return parameters.clone();
  }

  @Override
  public float[] embedding() {
    return embedding == null ? null : embedding.clone();
  }

  /** The same variant with the learned embedding left out. */
  public RatedVariant withoutEmbedding() {
    return new RatedVariant(ratingId, experimentId, raterId, variant, original, structure, api, promptVersion,
      parameters, null, rating);
  }
}
