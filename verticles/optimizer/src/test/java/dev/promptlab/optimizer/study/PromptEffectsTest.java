package dev.promptlab.optimizer.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.optimizer.model.OptimizerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptEffectsTest {

  private static final GenerationParameters P = new GenerationParameters("leonardo", 0.25, 7, 0.9);
  private static final GenerationParameters Q = new GenerationParameters("stablediffusion", 0.35, 9, 0.8);

  private static RatedSample sample(GenerationParameters p, double rating, String version, String experiment,
                                    boolean ab) {
    return new RatedSample(new Observation(p, rating, "t@example.com"), version, experiment, ab);
  }

  @Test
  void theEffectOfACandidateIsTheMeanDifferenceOfItsPairsAgainstTheVersionRatedOutsideTheTest() {
    List<RatedSample> ratings = List.of(
      sample(P, 3, "v1.0.0", "e1", false), sample(Q, 4, "v1.0.0", "e1", false),
      sample(P, 4, "v1.0.0", "e2", true), sample(P, 2, "v1.0.1", "e2", true),
      sample(Q, 3, "v1.0.1", "e3", true), sample(Q, 4, "v1.0.0", "e3", true));
    Map<String, Double> effects = PromptEffects.measure(ratings).effects();
    assertEquals(0.0, effects.get("v1.0.0"));
    assertEquals(-1.5, effects.get("v1.0.1"), 1e-12, "(2 - 4 + 3 - 4) / 2");
  }

  @Test
  void effectsChainAlongTestsAndFollowTheVersionInUse() {
    List<RatedSample> ratings = new ArrayList<>(List.of(
      sample(P, 3, "v1.0.0", "e1", true), sample(P, 4, "v1.0.1", "e1", true),
      sample(Q, 2, "v1.0.1", "e2", true), sample(Q, 4, "v1.0.2", "e2", true),
      sample(Q, 4, "v1.0.2", "e3", false)));
    Map<String, Double> effects = PromptEffects.measure(ratings).effects();
    assertEquals(0.0, effects.get("v1.0.2"), "the version rated outside a test is the reference");
    assertEquals(-2.0, effects.get("v1.0.1"), 1e-12);
    assertEquals(-3.0, effects.get("v1.0.0"), 1e-12);
  }

  @Test
  void pairsAtDifferentSettingsOrOfOneVersionMeasureNoPromptEffect() {
    List<RatedSample> ratings = List.of(
      sample(P, 2, "v1.0.0", "e1", false), sample(P, 5, "v1.0.0", "e1", false),
      sample(P, 2, "v1.0.0", "e2", true), sample(Q, 5, "v1.0.1", "e2", true),
      sample(P, 4, null, null, false));
    Map<String, Double> effects = PromptEffects.measure(ratings).effects();
    assertEquals(Map.of("v1.0.0", 0.0), effects);
    assertTrue(PromptEffects.measure(List.of()).effects().isEmpty());
  }

  /** Pairs of two tests, pooled: (v1.0.1 - v1.0.0) 1, -1, 2 and (v1.0.2 - v1.0.1) 0, 2, each around its own mean. */
  @Test
  void thePairsMeasureTheRatingNoiseAroundEachVersionPairsMeanDifference() {
    List<RatedSample> ratings = List.of(
      sample(P, 3, "v1.0.0", "e1", true), sample(P, 4, "v1.0.1", "e1", true),
      sample(Q, 3, "v1.0.1", "e2", true), sample(Q, 4, "v1.0.0", "e2", true),
      sample(P, 2, "v1.0.0", "e3", true), sample(P, 4, "v1.0.1", "e3", true),
      sample(Q, 1, "v1.0.0", "e4", false), sample(P, 5, "v1.0.0", "e4", false),
      sample(P, 4, "v1.0.1", "e5", true), sample(P, 4, "v1.0.2", "e5", true),
      sample(Q, 3, "v1.0.1", "e6", true), sample(Q, 5, "v1.0.2", "e6", true));
    // Residual squares 14/3 (first test) + 2 (second) over 2 + 1 degrees: the variance of a difference, 2 sigma^2.
    assertEquals(Math.sqrt(20.0 / 9 / 2), PromptEffects.measure(ratings).ratingNoise().getAsDouble(), 1e-12);
  }

  @Test
  void fewerThanThreeResidualDegreesMeasureNoNoise() {
    List<RatedSample> ratings = List.of(
      sample(P, 3, "v1.0.0", "e1", true), sample(P, 4, "v1.0.1", "e1", true),
      sample(Q, 3, "v1.0.1", "e2", true), sample(Q, 5, "v1.0.0", "e2", true),
      sample(P, 2, "v1.0.0", "e3", true), sample(P, 4, "v1.0.1", "e3", true),
      sample(P, 2, "v1.0.0", "e4", true), sample(Q, 5, "v1.0.1", "e4", true),
      sample(P, 1, "v1.0.0", "e5", false), sample(P, 5, "v1.0.0", "e5", false),
      sample(Q, 4, null, null, false));
    assertTrue(PromptEffects.measure(ratings).ratingNoise().isEmpty(), "three pairs at one setting each: two degrees");
    assertTrue(PromptEffects.measure(List.of()).ratingNoise().isEmpty());
  }

  /**
   * The same study twice: once a challenger prompt is rated one star below the current one in every A/B pair, once
   * both arms are rated alike. The model learns the same thing; without the versions it would not.
   */
  @Test
  void aChallengerRatedOneStarLowerEverywhereDoesNotMoveTheBestEstimate() {
    StudyStatus withEffect = abStudy(-1, true);
    StudyStatus without = abStudy(0, true);
    assertEquals(without.bestParameters(), withEffect.bestParameters());
    assertEquals(without.bestRating(), withEffect.bestRating(), 1e-9);
    assertEquals(without.bestObservedAverage(), withEffect.bestObservedAverage(), 1e-9);

    StudyStatus unversioned = abStudy(-1, false);
    assertFalse(Math.abs(unversioned.bestRating() - without.bestRating()) < 1e-6
        && unversioned.bestParameters().equals(without.bestParameters()),
      "taken as plain ratings, the challenger's stars would move the estimate");
    assertNotEquals(0, unversioned.samples());
  }

  private static StudyStatus abStudy(double challengerEffect, boolean versioned) {
    Study study = new Study("structure", OptimizerSettings.defaults().withInitialDesign(6), 11,
      new StudyLimits(60, 4.5, 0.25, 2000, 60_000));
    int experiment = 0;
    for (int round = 0; round < 6; round++) {
      List<GenerationParameters> points = study.suggest(2, 0).parameters();
      String id = "e" + experiment++;
      study.observeRated(List.of(sample(points.get(0), taste(points.get(0)), "v1.0.0", id, false),
        sample(points.get(1), taste(points.get(1)), "v1.0.0", id, false)));
    }
    for (int round = 0; round < 8; round++) {
      GenerationParameters point = study.suggest(1, 0).parameters().get(0);
      String id = "e" + experiment++;
      double control = taste(point);
      RatedSample a = sample(point, control, "v1.0.0", id, true);
      RatedSample b = sample(point, control + challengerEffect, "v1.0.1", id, true);
      study.observeRated(versioned ? List.of(a, b) : List.of(RatedSample.unversioned(a.observation()),
        RatedSample.unversioned(b.observation())));
    }
    return study.status();
  }

  /** Whole stars from 2 to 5, peaking at stablediffusion, strength 0.3, guidance 9, control 0.9. */
  private static double taste(GenerationParameters p) {
    double s = (p.strength() - 0.3) / 0.4;
    double g = (p.guidanceScale() - 9) / 7;
    double c = (p.controlWeight() - 0.9) / 0.29;
    double peak = p.api().equals("stablediffusion") ? 3 : 2;
    return Math.rint(2 + peak * Math.exp(-(s * s + g * g + c * c) / 0.2));
  }
}
