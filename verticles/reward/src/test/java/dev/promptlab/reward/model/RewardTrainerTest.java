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

  private static RatedVariant withRater(RatedVariant v, long rater) {
    return new RatedVariant(v.ratingId(), v.experimentId(), rater, v.variant(), v.original(), v.structure(), v.api(),
      v.parameters(), v.rating());
  }

  static RatedVariant variant(long id, long experiment, double[] features, String api, double rating) {
    List<String> names = IntStream.range(0, features.length).mapToObj(i -> "f" + i).toList();
    FeatureVector variant = new FeatureVector(1, names, features);
    FeatureVector original = new FeatureVector(1, names, new double[features.length]);
    FeatureVector structure = new FeatureVector(1, List.of("ssim"), new double[] {0.9});
    return new RatedVariant(id, experiment, 1 + experiment % 3, variant, original, structure, api,
      new double[] {0.5, 7, 0.3}, rating);
  }
}
