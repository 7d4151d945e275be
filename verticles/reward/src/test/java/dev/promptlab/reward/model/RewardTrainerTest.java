package dev.promptlab.reward.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.reward.features.FeatureVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RewardTrainerTest {

  private final RewardTrainer trainer = new RewardTrainer(ActivationRule.DEFAULT);

  @Test
  void ratingsThatFollowTheFeaturesGiveAnActiveModel() {
    RewardTrainer.Outcome outcome = trainer.train(ratings(400, 0.4, true, new Random(11)));
    assertTrue(outcome.active(), outcome.reason());
    assertTrue(outcome.metrics().pairwiseAccuracy() > 0.8, "pairwise " + outcome.metrics().pairwiseAccuracy());
    assertTrue(outcome.metrics().mae() < 0.8 * outcome.metrics().baselineMae());
    assertEquals(400, outcome.trainingRows() + outcome.heldOutRows());
  }

  @Test
  void ratingsUnrelatedToTheFeaturesDoNotActivateAModel() {
    RewardTrainer.Outcome outcome = trainer.train(ratings(400, 1.2, false, new Random(12)));
    assertFalse(outcome.active());
    assertTrue(outcome.reason().startsWith("not better than"), outcome.reason());
  }

  @Test
  void aGenerousTrainersOffsetIsLearntAndTheAverageTrainerPredictedForNobody() {
    Random random = new Random(14);
    List<RatedVariant> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      long rater = 1 + i % 2;
      double quality = random.nextDouble();
      double rating = 1.5 + 2.5 * quality + (rater == 2 ? 1.0 : 0.0) + 0.2 * random.nextGaussian();
      rows.add(withRater(variant(i, i / 2, new double[] {quality}, "local", rating), rater));
    }
    RewardModel model = RewardModel.fit(rows);
    RatedVariant probe = variant(10_000, 5_000, new double[] {0.5}, "local", 0);
    double strict = model.predict(withRater(probe, 1)).rating();
    double generous = model.predict(withRater(probe, 2)).rating();
    double nobody = model.predict(withRater(probe, 0)).rating();
    assertEquals(1.0, generous - strict, 0.15);
    assertEquals((strict + generous) / 2, nobody, 0.1);
  }

  @Test
  void tooFewRatingsAreCollectingData() {
    RewardTrainer.Outcome outcome = trainer.train(ratings(8, 0.4, true, new Random(13)));
    assertFalse(outcome.active());
    assertNull(outcome.model());
    assertTrue(outcome.reason().startsWith("collecting data"), outcome.reason());
  }

  @Test
  void anExperimentKeepsItsSideOfTheSplit() {
    long held = IntStream.range(0, 10_000).filter(id -> RewardTrainer.heldOut(id)).count();
    assertEquals(2_000, held, 150);
    for (long id = 0; id < 100; id++) {
      assertEquals(RewardTrainer.heldOut(id), RewardTrainer.heldOut(id));
    }
  }

  /**
   * Two variants per experiment; with {@code related} the rating is a bent function of two features (a sharpness
   * with an optimum, a colour cast that hurts) plus Likert rounding and noise, otherwise it is noise alone.
   */
  static List<RatedVariant> ratings(int count, double noise, boolean related, Random random) {
    List<RatedVariant> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double sharpness = random.nextDouble() * 2 - 1;
      double cast = random.nextDouble();
      double clutter = random.nextGaussian();
      double truth = related ? 4.6 - 2.0 * sharpness * sharpness - 1.5 * cast : 3;
      double rating = Math.max(1, Math.min(5, Math.round(truth + noise * random.nextGaussian())));
      rows.add(variant(i, i / 2, new double[] {sharpness, cast, clutter}, i % 3 == 0 ? "local" : "leonardo",
        rating));
    }
    return rows;
  }

  @Test
  void aPromptVersionsEffectIsLearntAndAnUnknownVersionIsTheAverage() {
    Random random = new Random(15);
    List<RatedVariant> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String version = i % 2 == 0 ? "v1.0.0" : "v1.1.0";
      double quality = random.nextDouble();
      double rating = 1.5 + 2.5 * quality + (version.equals("v1.1.0") ? 0.8 : 0.0) + 0.2 * random.nextGaussian();
      rows.add(with(variant(i, i / 2, new double[] {quality}, "local", rating), 1, version, null));
    }
    RewardModel model = RewardModel.fit(rows);
    RatedVariant probe = variant(10_000, 5_000, new double[] {0.5}, "local", 0);
    double before = model.predict(with(probe, 1, "v1.0.0", null)).rating();
    double after = model.predict(with(probe, 1, "v1.1.0", null)).rating();
    double unknown = model.predict(with(probe, 1, "v2.0.0", null)).rating();
    assertEquals(0.8, after - before, 0.15);
    assertEquals((before + after) / 2, unknown, 0.1);
    assertEquals(List.of("v1.0.0", "v1.1.0"), model.inputs().promptVersions());
  }

  @Test
  void aLearnedEmbeddingJoinsTheFeaturesWhenEveryRowHasOne() {
    // The rating follows one embedding value the hand-made features do not carry.
    Random random = new Random(16);
    List<RatedVariant> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      float[] embedding = {(float) random.nextGaussian(), (float) random.nextGaussian()};
      double rating = Math.max(1, Math.min(5, Math.round(3 + 1.2 * embedding[0] + 0.3 * random.nextGaussian())));
      rows.add(with(variant(i, i / 2, new double[] {random.nextDouble()}, "local", rating), 1, null, embedding));
    }
    RewardTrainer.Outcome withEmbedding = trainer.train(rows);
    RewardTrainer.Outcome without = trainer.train(rows.stream().map(RatedVariant::withoutEmbedding).toList());
    assertEquals(2, withEmbedding.model().inputs().embeddingLength());
    assertEquals(0, without.model() == null ? 0 : without.model().inputs().embeddingLength());
    assertTrue(withEmbedding.active(), withEmbedding.reason());
    assertFalse(without.active(), "the features alone know nothing of it: " + without.reason());
    assertTrue(withEmbedding.metrics().pairwiseAccuracy() > 0.85, "" + withEmbedding.metrics().pairwiseAccuracy());
    // One row without an embedding: the model is fitted on the features alone.
    List<RatedVariant> mixed = new ArrayList<>(rows);
    mixed.set(7, rows.get(7).withoutEmbedding());
    assertEquals(0, RewardModel.fit(mixed).inputs().embeddingLength());
    // A model that reads an embedding refuses a variant without one.
    RewardModel model = withEmbedding.model();
    IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
      () -> model.predict(rows.get(0).withoutEmbedding()));
    assertTrue(refused.getMessage().contains("learned embedding of 2 values"), refused.getMessage());
  }

  private static RatedVariant withRater(RatedVariant v, long rater) {
    return with(v, rater, v.promptVersion(), v.embedding());
  }

  private static RatedVariant with(RatedVariant v, long rater, String promptVersion, float[] embedding) {
    return new RatedVariant(v.ratingId(), v.experimentId(), rater, v.variant(), v.original(), v.structure(), v.api(),
      promptVersion, v.parameters(), embedding, v.rating());
  }

  static RatedVariant variant(long id, long experiment, double[] features, String api, double rating) {
    List<String> names = IntStream.range(0, features.length).mapToObj(i -> "f" + i).toList();
    FeatureVector variant = new FeatureVector(1, names, features);
    FeatureVector original = new FeatureVector(1, names, new double[features.length]);
    FeatureVector structure = new FeatureVector(1, List.of("ssim"), new double[] {0.9});
    return new RatedVariant(id, experiment, 1 + experiment % 3, variant, original, structure, api, "v1.0.0",
      new double[] {0.5, 7, 0.3}, null, rating);
  }
}
