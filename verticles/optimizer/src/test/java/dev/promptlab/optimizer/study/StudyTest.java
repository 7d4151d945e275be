package dev.promptlab.optimizer.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.SuggestReply;
import dev.promptlab.optimizer.model.ModelFailure;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.optimizer.model.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyTest {

  private static final StudyLimits LIMITS = new StudyLimits(12, 4.0, 0.25, 40, 60_000);

  private static Study study(int initialDesign) {
    return new Study("structure", OptimizerSettings.defaults().withInitialDesign(initialDesign), 3, LIMITS);
  }

  private static Observation rated(GenerationParameters p, double rating) {
    return new Observation(p, rating, "t@example.com");
  }

  @Test
  void statusOfAnEmptyStudy() {
    StudyStatus status = study(4).status();
    assertEquals(0, status.samples());
    assertNull(status.bestRating());
    assertEquals(12, status.estimatedTrialsRemaining());
    assertEquals("none", status.model());
  }

  /** Four A/B pairs whose arms differ by 1, -1, 1, -1 stars: rating noise sqrt(4 / 3 / 2) under the model. */
  @Test
  void theRatingNoiseOfTheAbPairsIsAFloorUnderTheModelsNoise() {
    Study study = study(4);
    List<RatedSample> samples = new ArrayList<>();
    List<GenerationParameters> points = study.suggest(4, 0).parameters();
    for (int i = 0; i < points.size(); i++) {
      samples.add(RatedSample.unversioned(rated(points.get(i), 2 + i % 3)));
    }
    study.observeRated(samples);
    assertEquals(0.0, study.noiseFloor(), "no pairs, no floor");
    for (int i = 0; i < 4; i++) {
      GenerationParameters shared = study.suggest(1, 0).parameters().get(0);
      String experiment = "e" + i;
      study.observeRated(List.of(new RatedSample(rated(shared, 3), "v1.0.0", experiment, true),
        new RatedSample(rated(shared, i % 2 == 0 ? 4 : 2), "v1.0.1", experiment, true)));
    }
    assertEquals(Math.sqrt(4.0 / 3 / 2), study.noiseFloor(), 1e-12);
    assertTrue(study.status().bestRating() != null);
  }

  @Test
  void aHighRatingInsideTheInitialDesignDoesNotEndPhaseOne() {
    Study study = study(4);
    GenerationParameters good = new GenerationParameters("stablediffusion", 0.3, 9, 0.9);
    study.observe(List.of(rated(good, 5), rated(good, 5)));
    StudyStatus status = study.status();
    assertTrue(status.bestRating() >= 4.0);
    assertTrue(study.phaseOneReached(status).isEmpty(), "two ratings are not enough evidence");
  }

  @Test
  void oneFiveAmongSevenTwosDoesNotEndPhaseOne() {
    // The tracker's case: the initial design of 8 rated seven 2s and one 5.
    Study study = new Study("structure", OptimizerSettings.defaults(), 3, StudyLimits.defaults());
    List<GenerationParameters> design = study.suggest(8, 0).parameters();
    List<Observation> ratings = new ArrayList<>();
    for (int i = 0; i < design.size(); i++) {
      ratings.add(rated(design.get(i), i == 5 ? 5 : 2));
    }
    study.observe(ratings);
    StudyStatus status = study.status();
    assertEquals(8, status.samples());
    assertTrue(study.phaseOneReached(status).isEmpty(), status.phase1Detail());
    assertEquals(1, status.bestObservedCount(), "one rating near the best setting: " + status.phase1Detail());
    assertTrue(status.bestLower() < 4.0, "the interval admits a setting below 4: " + status.phase1Detail());
    assertTrue(status.phase1Detail().startsWith("running"), status.phase1Detail());
  }

  @Test
  void consistentRatingsNearTheBestEndPhaseOneAndContraryOnesReopenIt() {
    Study study = new Study("structure", OptimizerSettings.defaults().withInitialDesign(4), 3, StudyLimits.defaults());
    GenerationParameters good = new GenerationParameters("stablediffusion", 0.3, 9, 0.9);
    GenerationParameters close = new GenerationParameters("stablediffusion", 0.31, 9.2, 0.9);
    List<Observation> ratings = new ArrayList<>(List.of(rated(good, 5), rated(close, 5), rated(good, 4),
      rated(close, 5), rated(good, 5)));
    for (GenerationParameters p : List.of(new GenerationParameters("leonardo", 0.1, 5, 0.7),
      new GenerationParameters("leonardo", 0.5, 12, 0.99), new GenerationParameters("stablediffusion", 0.1, 12, 0.7),
      new GenerationParameters("leonardo", 0.5, 5, 0.7))) {
      ratings.add(rated(p, 1));
    }
    study.observe(ratings);
    StudyStatus status = study.status();
    assertEquals(Study.REASON_RATING, study.phaseOneReached(status).orElseThrow(), status.phase1Detail());
    assertTrue(status.bestLower() >= 4.0 && status.bestObservedAverage() >= 4.0);
    study.setPhaseOne(Study.REASON_RATING);
    assertFalse(study.phaseOneReopens(study.status()));
    // Other trainers then rate the same settings poorly: the evidence is gone, phase 1 runs again.
    List<Observation> contrary = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      contrary.add(rated(i % 2 == 0 ? good : close, 2));
    }
    study.observe(contrary);
    StudyStatus after = study.status();
    assertTrue(study.phaseOneReopens(after), after.phase1Detail());
  }

  @Test
  void afterPhaseOneMostSuggestionsReRateTheBestSetting() {
    Study study = new Study("structure", OptimizerSettings.defaults().withInitialDesign(4), 3, StudyLimits.defaults());
    GenerationParameters good = new GenerationParameters("stablediffusion", 0.3, 9, 0.9);
    List<Observation> ratings = new ArrayList<>(List.of(rated(good, 5), rated(good, 4), rated(good, 5)));
    for (GenerationParameters p : study.suggest(8, 0).parameters()) {
      ratings.add(rated(p, 2));
    }
    study.observe(ratings);
    double[] best = StudySpace.SPACE.encode(StudySpace.toNatural(study.status().bestParameters()));
    int before = near(study, best, 4);
    study.setPhaseOne(Study.REASON_OVERRIDE);
    int after = near(study, best, 4);
    assertTrue(after >= 7, after + " of 8 suggestions near the best setting after phase 1");
    assertTrue(before < after, before + " of 8 near it while phase 1 explores");
  }

  /** Of {@code batches} batches of two (withdrawn unrated, so the model stays put), how many points lie near {@code best}. */
  private static int near(Study study, double[] best, int batches) {
    int near = 0;
    for (int b = 0; b < batches; b++) {
      List<GenerationParameters> batch = study.suggest(2, b).parameters();
      for (GenerationParameters p : batch) {
        double[] z = StudySpace.SPACE.encode(StudySpace.toNatural(p));
        near += SearchSpace.squaredDistance(z, best) <= 0.2 * 0.2 ? 1 : 0;
      }
      study.withdraw(batch);
    }
    return near;
  }

  /**
   * While the best estimate is below {@code spread_below} stars one of two exploring points is spread; not once it is
   * above, not when fewer than two points explore, not in the initial design, and never with the rule off.
   */
  @Test
  void oneExploringPointSpreadsWhileNothingGoodWasFound() {
    StudyLimits d = StudyLimits.defaults();
    Study flat = new Study("structure", OptimizerSettings.defaults().withInitialDesign(4), 3, d);
    assertEquals(0, flat.spreading(2, 0), "no ratings: the initial design");
    List<Observation> low = new ArrayList<>();
    for (GenerationParameters p : flat.suggest(6, 0).parameters()) {
      low.add(rated(p, low.size() % 2 == 0 ? 1 : 2));
    }
    flat.observe(low);
    assertTrue(flat.status().bestRating() < d.spreadBelow());
    assertEquals(1, flat.spreading(2, 0));
    assertEquals(1, flat.spreading(3, 1));
    assertEquals(0, flat.spreading(2, 1), "one exploring point keeps following the model");
    assertEquals(0, flat.spreading(1, 0));

    Study off = new Study("structure", OptimizerSettings.defaults().withInitialDesign(4), 3,
      new StudyLimits(d.maxSamples(), d.targetRating(), d.improvementStep(), d.maxModelObservations(),
        d.pendingTtlMs(), d.exploitLast(), d.exploreEvery(), 0));
    off.suggest(6, 0); // the same design and history as the study with the rule on
    off.observe(low);
    assertEquals(0, off.spreading(2, 0));
    // The batch a trainer gets: the same first point, the second one spread only where the rule is on.
    List<GenerationParameters> spread = flat.suggest(2, 0).parameters();
    List<GenerationParameters> byModel = off.suggest(2, 0).parameters();
    assertEquals(byModel.get(0), spread.get(0));
    assertFalse(byModel.get(1).equals(spread.get(1)), "the second point is spread");

    Study good = new Study("structure", OptimizerSettings.defaults().withInitialDesign(4), 3, d);
    List<Observation> fair = new ArrayList<>();
    for (Observation o : low) {
      fair.add(rated(o.parameters(), o.rating() + 2));
    }
    good.observe(fair);
    assertTrue(good.status().bestRating() >= d.spreadBelow());
    assertEquals(0, good.spreading(2, 0));
  }

  @Test
  void refusesASpreadThresholdOutsideTheScale() {
    StudyLimits d = StudyLimits.defaults();
    for (double bad : new double[] {-0.5, 5.5, Double.NaN}) {
      assertThrows(IllegalArgumentException.class, () -> new StudyLimits(d.maxSamples(), d.targetRating(),
        d.improvementStep(), d.maxModelObservations(), d.pendingTtlMs(), d.exploitLast(), d.exploreEvery(), bad));
    }
  }

  @Test
  void phaseOneEndsAtTheSampleLimitWhateverTheRatings() {
    Study study = study(4);
    List<Observation> ratings = new ArrayList<>();
    for (GenerationParameters p : study.suggest(12, 0).parameters()) {
      ratings.add(rated(p, 1));
    }
    study.observe(ratings);
    StudyStatus status = study.status();
    assertEquals(12, status.samples());
    assertEquals(Study.REASON_SAMPLES, study.phaseOneReached(status).orElseThrow());
    assertFalse(study.phase1Complete(), "nothing changes until the end is stored and set");
    study.setPhaseOne(Study.REASON_SAMPLES);
    assertTrue(study.phaseOneReached(study.status()).isEmpty());
    assertEquals(0, study.status().estimatedTrialsRemaining());
  }

  @Test
  void overrideKeepsAnEarlierReasonAndReopens() {
    Study study = study(4);
    assertEquals(Study.REASON_OVERRIDE, study.overridden(true));
    study.setPhaseOne(Study.REASON_RATING);
    assertEquals(Study.REASON_RATING, study.overridden(true));
    assertNull(study.overridden(false));
  }

  @Test
  void statusFiguresStayInTheirRanges() {
    Study study = study(4);
    List<Observation> ratings = new ArrayList<>();
    double r = 1;
    for (GenerationParameters p : study.suggest(6, 0).parameters()) {
      ratings.add(rated(p, r));
      r = r % 5 + 1;
    }
    study.observe(ratings);
    StudyStatus status = study.status();
    assertEquals("gp-matern52-ard", status.model());
    assertTrue(status.convergence() >= 0 && status.convergence() <= 1);
    assertTrue(status.estimatedTrialsRemaining() >= 1 && status.estimatedTrialsRemaining() <= 6);
    assertTrue(status.bestRating() >= 1 && status.bestRating() <= 5);
  }

  @Test
  void theBestOfEachApiIsItsHighestEstimateAndTheOverallBestIsOneOfThem() {
    Study study = study(4);
    List<Observation> ratings = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ratings.add(rated(new GenerationParameters("leonardo", 0.15 + 0.05 * i, 6 + i, 0.8), 2 + i % 2));
      ratings.add(rated(new GenerationParameters("stablediffusion", 0.3, 9, 0.9), 4 + i % 2));
    }
    study.observe(ratings);
    StudyStatus status = study.status();
    assertEquals(List.of("leonardo", "stablediffusion"), status.bestPerApi().stream().map(b -> b.api()).toList());
    assertEquals(status.bestParameters(), status.bestFor("stablediffusion").parameters());
    assertEquals(status.bestRating(), status.bestFor("stablediffusion").estimate(), 1e-12);
    assertEquals(6, status.bestFor("stablediffusion").ratings());
    assertEquals(4.5, status.bestFor("stablediffusion").observedAverage(), 1e-12);
    assertTrue(status.bestFor("leonardo").estimate() < status.bestRating());
    assertTrue(status.bestFor("leonardo").lower() <= status.bestFor("leonardo").estimate());
  }

  @Test
  void pendingSuggestionsKeepNewOnesAwayUntilWithdrawnOrExpired() {
    Study study = study(2);
    study.observe(List.of(rated(new GenerationParameters("leonardo", 0.2, 6, 0.8), 2),
      rated(new GenerationParameters("stablediffusion", 0.4, 11, 0.95), 4),
      rated(new GenerationParameters("leonardo", 0.45, 9, 0.75), 3)));
    Study.Suggestion first = study.suggest(2, 1_000);
    assertEquals(SuggestReply.GP_UCB, first.strategy());
    // While they wait for ratings, new suggestions keep their distance ...
    assertTrue(minDistance(study.suggest(2, 2_000).parameters(), first.parameters()) >= 0.05);
    // ... once withdrawn (or expired) the model may pick the same region again.
    Study fresh = study(2);
    fresh.observe(List.of(rated(new GenerationParameters("leonardo", 0.2, 6, 0.8), 2),
      rated(new GenerationParameters("stablediffusion", 0.4, 11, 0.95), 4),
      rated(new GenerationParameters("leonardo", 0.45, 9, 0.75), 3)));
    Study.Suggestion firstAgain = fresh.suggest(2, 1_000);
    fresh.withdraw(firstAgain.parameters());
    List<GenerationParameters> next = fresh.suggest(2, 2_000).parameters();
    assertTrue(minDistance(next, firstAgain.parameters()) < 0.05);
    assertTrue(minDistance(fresh.suggest(2, 2_000 + LIMITS.pendingTtlMs()).parameters(), next) < 0.05);
  }

  private static double minDistance(List<GenerationParameters> a, List<GenerationParameters> b) {
    double min = Double.POSITIVE_INFINITY;
    for (GenerationParameters p : a) {
      for (GenerationParameters q : b) {
        min = Math.min(min, Math.sqrt(SearchSpace.squaredDistance(StudySpace.SPACE.encode(StudySpace.toNatural(p)),
          StudySpace.SPACE.encode(StudySpace.toNatural(q)))));
      }
    }
    return min;
  }

  /**
   * A study rebuilt from its ratings without a stored model state resumes the initial design where it stopped, though
   * each design point was rated twice (the arms of an A/B test share it).
   */
  @Test
  void aRebuiltStudyResumesTheDesignAfterPairedRatings() {
    Study live = study(6);
    List<Observation> ratings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GenerationParameters shared = live.suggest(1, 0).parameters().get(0);
      List<Observation> pair = List.of(new Observation(shared, 2, "a@example.com"),
        new Observation(shared, 3, "b@example.com"));
      live.observe(pair);
      ratings.addAll(pair);
    }
    Study rebuilt = study(6);
    rebuilt.observe(ratings);
    rebuilt.restore(null, null);
    Study.Suggestion next = live.suggest(1, 0);
    assertEquals(SuggestReply.INITIAL_DESIGN, next.strategy());
    assertEquals(next.parameters(), rebuilt.suggest(1, 0).parameters());
  }

  @Test
  void refusesToModelAboveTheLimit() {
    Study study = new Study("surfaces", OptimizerSettings.defaults().withInitialDesign(2), 1,
      new StudyLimits(50, 4.0, 0.25, 2, 0));
    study.observe(List.of(rated(new GenerationParameters("leonardo", 0.2, 6, 0.8), 2),
      rated(new GenerationParameters("leonardo", 0.3, 7, 0.8), 2),
      rated(new GenerationParameters("leonardo", 0.4, 8, 0.8), 2)));
    assertThrows(ModelFailure.class, () -> study.suggest(1, 0));
    assertTrue(study.status().model().startsWith("unavailable"));
  }

  @Test
  void parametersRoundTripThroughTheSpace() {
    GenerationParameters p = new GenerationParameters("stablediffusion", 0.37, 7.25, 0.93);
    assertEquals(p, StudySpace.toParameters(StudySpace.toNatural(p)));
    double[] corner = StudySpace.SPACE.decode(new double[] {1, 0, 1.0, 0.0, 1.0});
    assertEquals(new GenerationParameters("leonardo", 0.5, 5.0, 0.99), StudySpace.toParameters(corner));
  }

  // ------------------------------------------------------------------ predicted ratings

  private static PredictedSample predicted(GenerationParameters p, double rating, double uncertainty) {
    return new PredictedSample(p, rating, uncertainty, null);
  }

  @Test
  void predictedRatingsShapeTheModelButAreNeverSamples() {
    Study study = new Study("structure", OptimizerSettings.defaults(), 3, StudyLimits.defaults());
    List<GenerationParameters> design = study.suggest(8, 0).parameters();
    List<Observation> ratings = new ArrayList<>();
    for (GenerationParameters p : design) {
      ratings.add(rated(p, 2));
    }
    study.observe(ratings);
    StudyStatus before = study.status();

    GenerationParameters spot = new GenerationParameters("stablediffusion", 0.3, 8.5, 0.85);
    List<PredictedSample> confident = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      confident.add(predicted(new GenerationParameters("stablediffusion", 0.3 + 0.005 * i, 8.5, 0.85), 5.0, 0.1));
    }
    study.usePredicted(confident, PredictionWeighting.defaults());
    StudyStatus after = study.status();

    assertEquals(5, study.predictedInUse());
    assertEquals(5, after.predictedObservations());
    assertEquals(8, after.samples(), "predictions are not samples");
    assertEquals(before.bestObservedCount(), after.bestObservedCount(), "nor ratings near the best");
    assertTrue(study.phaseOneReached(after).isEmpty(), "five sure predictions of 5 cannot end phase 1");
    assertTrue(after.estimatedTrialsRemaining() < before.estimatedTrialsRemaining(),
      "the model now expects a good setting near " + spot + ": " + before.estimatedTrialsRemaining() + " -> "
        + after.estimatedTrialsRemaining());
    assertEquals(SuggestReply.GP_UCB, study.suggest(2, 0).strategy(), "predictions do not shorten the design");
  }

  @Test
  void aPredictionNearARatedSettingIsDroppedAndOnlyTheNewestAreKept() {
    Study study = study(4);
    GenerationParameters rated = new GenerationParameters("leonardo", 0.3, 8, 0.9);
    study.observe(List.of(rated(rated, 3), rated(new GenerationParameters("stablediffusion", 0.1, 5, 0.7), 2)));
    GenerationParameters first = new GenerationParameters("stablediffusion", 0.45, 11, 0.75);
    GenerationParameters second = new GenerationParameters("leonardo", 0.12, 11.5, 0.98);
    GenerationParameters third = new GenerationParameters("stablediffusion", 0.2, 6, 0.95);
    List<PredictedSample> oldestFirst = List.of(predicted(first, 4, 0.5), predicted(second, 3, 0.5),
      predicted(new GenerationParameters("leonardo", 0.31, 8.1, 0.9), 1, 0.2), predicted(third, 4.5, 0.5));

    study.usePredicted(oldestFirst, new PredictionWeighting(4, 10));
    assertEquals(3, study.predictedInUse(), "the one next to a rating is dropped");
    study.usePredicted(oldestFirst, new PredictionWeighting(4, 2));
    assertEquals(2, study.predictedInUse(), "the newest two (the dropped one does not count)");

    study.usePredicted(oldestFirst, new PredictionWeighting(4, 10));
    study.observe(List.of(rated(new GenerationParameters("stablediffusion", 0.205, 6.05, 0.95), 2)));
    assertEquals(2, study.predictedInUse(), "a new rating near the newest takes its place");
    assertEquals(3, study.status().samples());
    study.usePredicted(List.of(), PredictionWeighting.defaults());
    assertEquals(0, study.predictedInUse());
  }

  @Test
  void refusesABadPredictedSampleOrWeighting() {
    GenerationParameters p = new GenerationParameters("leonardo", 0.3, 8, 0.9);
    assertThrows(IllegalArgumentException.class, () -> predicted(p, 5.5, 0.1));
    assertThrows(IllegalArgumentException.class, () -> predicted(p, 3, -1));
    assertThrows(IllegalArgumentException.class, () -> new PredictionWeighting(0.9, 10));
    assertThrows(IllegalArgumentException.class, () -> new PredictionWeighting(4, -1));
    assertThrows(IllegalArgumentException.class, () -> new PredictionWeighting(4, 10, -0.1));
  }
}
