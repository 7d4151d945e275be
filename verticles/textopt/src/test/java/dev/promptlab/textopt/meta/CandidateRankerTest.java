package dev.promptlab.textopt.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandidateRankerTest {

  private static final int D = ProposalFeatures.NAMES.size();
  private static final int EXAMPLES = ProposalFeatures.NAMES.indexOf("kind_examples");
  private static final int STEPS = ProposalFeatures.NAMES.indexOf("kind_step_by_step");
  private static final int OVERLAP = ProposalFeatures.NAMES.indexOf("failure_overlap");
  private static final int ROLE = ProposalFeatures.NAMES.indexOf("kind_role");

  private final CandidateRanker ranker = new CandidateRanker(MetaModelSettings.withMargin(0.01));

  /** Gain = 0.06 per added example, -0.05 per added step-by-step instruction, 0.04 × failure overlap, noise. */
  private static List<GainObservation> plantedHistory(int n, long seed, double noise) {
    Random random = new Random(seed);
    List<GainObservation> history = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = randomFeatures(random);
      double gain = 0.06 * x[EXAMPLES] - 0.05 * x[STEPS] + 0.04 * x[OVERLAP] + noise * random.nextGaussian();
      history.add(new GainObservation(x, gain));
    }
    return history;
  }

  private static double[] randomFeatures(Random random) {
    double[] x = new double[D];
    for (int j = 0; j < D; j++) {
      x[j] = random.nextGaussian() * 0.5;
    }
    x[EXAMPLES] = (random.nextInt(5) - 2) / 2.0;
    x[STEPS] = (random.nextInt(5) - 2) / 2.0;
    x[OVERLAP] = random.nextDouble();
    return x;
  }

  @Test
  void itLearnsAPlantedRelation() {
    List<GainObservation> history = plantedHistory(300, 1, 0.02);
    double[] good = new double[D];
    good[EXAMPLES] = 1;
    good[OVERLAP] = 1;
    double[] bad = new double[D];
    bad[STEPS] = 1;
    CandidateRanking ranking = ranker.rankFeatures(List.of(bad, good), history);
    assertTrue(ranking.modelled(), ranking.reason());
    assertEquals(300, ranking.historyUsed());
    // The features are not centred on 0 in the history, so these are the relation's values, not deviations.
    assertEquals(0.10, ranking.predictions().get(1).gain(), 0.01);
    assertEquals(-0.05, ranking.predictions().get(0).gain(), 0.01);
    assertEquals(0.02, ranking.predictions().get(1).sd(), 0.005);
    assertTrue(ranking.predictions().get(1).chanceAboveMargin() > 0.99);
    assertTrue(ranking.predictions().get(0).chanceAboveMargin() < 0.01);
    assertEquals(ProposalFeatures.NAMES, List.copyOf(ranking.weights().keySet()));
    assertEquals(0.06, ranking.weights().get("kind_examples"), 0.005);
    assertEquals(-0.05, ranking.weights().get("kind_step_by_step"), 0.005);
    assertEquals(0.04, ranking.weights().get("failure_overlap"), 0.01);
    assertEquals(0, ranking.weights().get("kind_role"), 0.005);
  }

  @Test
  void aPlantedGoodCandidateLastInProposalOrderIsRankedFirst() {
    Random random = new Random(7);
    List<double[]> candidates = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      double[] x = randomFeatures(random);
      x[EXAMPLES] = 0;
      x[STEPS] = 0.5;
      x[OVERLAP] = 0.1;
      candidates.add(x);
    }
    double[] planted = randomFeatures(random);
    planted[EXAMPLES] = 1;
    planted[STEPS] = 0;
    planted[OVERLAP] = 0.9;
    candidates.add(planted);
    for (RankingScore score : RankingScore.values()) {
      CandidateRanking ranking = new CandidateRanker(MetaModelSettings.withMargin(0.01).withScore(score))
        .rankFeatures(candidates, plantedHistory(60, 2, 0.03));
      assertEquals(4, ranking.order().get(0), score.name());
      assertEquals(5, ranking.order().size());
    }
  }

  @Test
  void withTooLittleHistoryItKeepsTheProposalOrderAndSaysSo() {
    List<double[]> candidates = List.of(new double[D], new double[D], new double[D]);
    CandidateRanking ranking = ranker.rankFeatures(candidates, plantedHistory(19, 3, 0.02));
    assertFalse(ranking.modelled());
    assertEquals(List.of(0, 1, 2), ranking.order());
    assertTrue(ranking.predictions().isEmpty());
    assertTrue(ranking.weights().isEmpty());
    assertEquals(0, ranking.historyUsed());
    assertEquals("19 evaluated candidates in the history, 20 needed to learn from: proposal order kept",
      ranking.reason());
    assertFalse(ranker.rankFeatures(candidates, List.of()).modelled());
    assertTrue(ranker.rankFeatures(candidates, plantedHistory(20, 3, 0.02)).modelled());
  }

  @Test
  void aHistoryOfEqualGainsTeachesNothing() {
    List<GainObservation> flat = plantedHistory(40, 4, 0).stream()
      .map(o -> new GainObservation(o.features(), -0.02)).toList();
    CandidateRanking ranking = ranker.rankFeatures(List.of(new double[D], new double[D]), flat);
    assertFalse(ranking.modelled());
    assertEquals(List.of(0, 1), ranking.order());
    assertTrue(ranking.reason().contains("all gained -0.0200"), ranking.reason());
  }

  @Test
  void constantFeaturesLeaveTheModelUncertainInsteadOfBroken() {
    Random random = new Random(5);
    List<GainObservation> history = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      history.add(new GainObservation(new double[D], 0.01 * random.nextGaussian()));
    }
    double[] same = new double[D];
    double[] novel = new double[D];
    novel[ROLE] = 1;
    CandidateRanking ranking = ranker.rankFeatures(List.of(same, novel), history);
    assertTrue(ranking.modelled());
    for (GainPrediction p : ranking.predictions()) {
      assertTrue(Double.isFinite(p.gain()) && Double.isFinite(p.sd()) && Double.isFinite(p.score()), p.toString());
    }
    // Nothing in the history varied, so a candidate that differs is predicted at the mean gain, with more doubt.
    assertEquals(ranking.predictions().get(0).gain(), ranking.predictions().get(1).gain(), 1e-12);
    assertTrue(ranking.predictions().get(1).sd() > ranking.predictions().get(0).sd());
  }

  @Test
  void expectedImprovementExploresWhereTheMeanAloneDoesNot() {
    // The role feature never varied in the history: a candidate adding a role has the same predicted gain as one
    // that does not, but a wider spread.
    List<GainObservation> history = plantedHistory(80, 6, 0.02).stream().map(o -> {
      double[] x = o.features();
      x[ROLE] = 0;
      return new GainObservation(x, o.gain());
    }).toList();
    double[] familiar = new double[D];
    double[] novel = new double[D];
    novel[ROLE] = 1;
    List<double[]> candidates = List.of(familiar, novel);
    CandidateRanking byMean = new CandidateRanker(MetaModelSettings.withMargin(0.01).withScore(RankingScore.MEAN))
      .rankFeatures(candidates, history);
    assertEquals(List.of(0, 1), byMean.order());
    assertEquals(List.of(1, 0), ranker.rankFeatures(candidates, history).order());
    CandidateRanker upper = new CandidateRanker(MetaModelSettings.withMargin(0.01)
      .withScore(RankingScore.UPPER_CONFIDENCE));
    assertEquals(List.of(1, 0), upper.rankFeatures(candidates, history).order());
  }

  @Test
  void onlyTheLatestHistoryIsUsed() {
    // Old rows say examples hurt; the latest 100 say they help.
    List<GainObservation> history = new ArrayList<>(plantedHistory(300, 8, 0.01).stream()
      .map(o -> new GainObservation(o.features(), -o.gain())).toList());
    history.addAll(plantedHistory(100, 9, 0.01));
    CandidateRanker recent = new CandidateRanker(new MetaModelSettings(20, 100, 0.01,
      RankingScore.EXPECTED_IMPROVEMENT, 1));
    double[] examples = new double[D];
    examples[EXAMPLES] = 1;
    CandidateRanking ranking = recent.rankFeatures(List.of(new double[D], examples), history);
    assertEquals(100, ranking.historyUsed());
    assertEquals(List.of(1, 0), ranking.order());
  }

  @Test
  void noCandidatesGiveAnEmptyOrder() {
    CandidateRanking ranking = ranker.rankFeatures(List.of(), plantedHistory(40, 10, 0.02));
    assertTrue(ranking.order().isEmpty());
    assertTrue(ranking.predictions().isEmpty());
  }

  @Test
  void badInputIsRefusedWithItsPlace() {
    double[] nan = new double[D];
    nan[OVERLAP] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> ranker.rankFeatures(List.of(new double[D], nan), plantedHistory(40, 11, 0.02)));
    assertEquals("candidate 1: feature failure_overlap is NaN; features must be finite", e.getMessage());
    IllegalArgumentException shortRow = assertThrows(IllegalArgumentException.class,
      () -> ranker.rankFeatures(List.of(new double[3]), List.of()));
    assertEquals("candidate 0 has 3 features, expected " + D, shortRow.getMessage());
    List<GainObservation> mixed = new ArrayList<>(plantedHistory(30, 12, 0.02));
    mixed.add(new GainObservation(new double[D + 1], 0.1));
    IllegalArgumentException oldVersion = assertThrows(IllegalArgumentException.class,
      () -> ranker.rankFeatures(List.of(new double[D]), mixed));
    assertTrue(oldVersion.getMessage().startsWith("history row 30 has " + (D + 1) + " features"),
      oldVersion.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GainObservation(new double[D], Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new GainObservation(nan, 0));
    assertThrows(IllegalArgumentException.class, () -> new MetaModelSettings(1, 10, 0.01,
      RankingScore.MEAN, 1));
    assertThrows(IllegalArgumentException.class, () -> new MetaModelSettings(20, 10, 0.01,
      RankingScore.MEAN, 1));
    assertThrows(IllegalArgumentException.class, () -> MetaModelSettings.withMargin(-0.1));
  }

  @Test
  void proposalsAreRankedThroughTheirFeatures() {
    PromptState parent = new PromptState("Extract the supplier.", "Answer with the name.");
    PromptState withExample = new PromptState(parent.systemPrompt(),
      parent.outputPrompt() + " Example: Invoice 9 from Globex -> Globex.");
    PromptState withSteps = new PromptState(parent.systemPrompt() + " Think step by step.", parent.outputPrompt());
    String failures = "input: Invoice 9 from Globex | expected: Globex | got: Invoice 9";
    List<Proposal> proposals = List.of(new Proposal(parent, withSteps, failures, 0.6, 3, 0, 2),
      new Proposal(parent, withExample, failures, 0.6, 3, 1, 2));
    CandidateRanking ranking = ranker.rank(proposals, plantedHistory(100, 13, 0.02));
    assertEquals(List.of(1, 0), ranking.order());
  }

  @Test
  void theNormalHelpersAgreeWithTables() {
    assertEquals(0.5, StandardNormal.cdf(0), 1e-7);
    assertEquals(0.9750021, StandardNormal.cdf(1.96), 1e-6);
    assertEquals(0.0249979, StandardNormal.cdf(-1.96), 1e-6);
    assertEquals(0.3989423, StandardNormal.expectedExcess(0), 1e-6);
    // z Φ(z) + φ(z) at 1: 0.8413447 + 0.2419707.
    assertEquals(1.0833155, StandardNormal.expectedExcess(1), 1e-6);
    // Continuous where the asymptotic series takes over, and still ordered far below the bar.
    assertEquals(StandardNormal.expectedExcess(-5.999), StandardNormal.expectedExcess(-6.001), 1e-11);
    assertTrue(StandardNormal.expectedExcess(-30) > StandardNormal.expectedExcess(-31));
    assertTrue(StandardNormal.expectedExcess(-31) > 0);
  }
}
