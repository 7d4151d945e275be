package dev.promptlab.http.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.CalibrationBin;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.http.training.RatedSample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartsTest {

  private static RatedSample sample(String api, double strength, int rating) {
    return new RatedSample("structure", new GenerationParameters(api, strength, 7.0, 0.9), "v1.0.0", rating);
  }

  @Test
  void ratingsMapOntoTheFrame() {
    assertEquals(Charts.TOP, Charts.ratingY(5));
    assertEquals(Charts.HEIGHT - Charts.BOTTOM, Charts.ratingY(1));
  }

  @Test
  void trendHasADotPerSampleAndAMovingAverage() {
    Charts.Chart chart = Charts.trend(List.of(sample("leonardo", 0.2, 1), sample("stablediffusion", 0.3, 5)), 10);
    assertEquals(2, chart.dots().size());
    assertEquals("leonardo", chart.dots().get(0).kind());
    String[] points = chart.line().split(" ");
    assertEquals(2, points.length);
    assertTrue(points[1].endsWith("," + Charts.ratingY(3)), chart.line());
    assertTrue(Charts.trend(List.of(), 10).empty());
  }

  @Test
  void calibrationPlotsEachBinAgainstTheDiagonalInThePagesNumbers() {
    Charts.Chart chart = Charts.calibration(List.of(new CalibrationBin(1.0, 1.5, 3, 1.0, 2.0),
      new CalibrationBin(4.5, 5.0, 12, 4.75, 4.5)), java.util.Locale.forLanguageTag("es"));
    assertEquals(2, chart.dots().size());
    Charts.Dot low = chart.dots().get(0);
    assertEquals(Charts.LEFT, low.x(), "a mean prediction of 1 sits on the left edge");
    assertEquals(Charts.ratingY(2), low.y(), "at the height of the mean rating");
    assertEquals("4,75 → 4,50 (n=12)", chart.dots().get(1).label());
    assertEquals(Charts.WIDTH - Charts.RIGHT, Charts.ratingX(5));
    assertEquals(Charts.ratingX(1) + "," + Charts.ratingY(1) + " " + Charts.ratingX(5) + "," + Charts.ratingY(5),
      chart.line(), "the diagonal from (1, 1) to (5, 5)");
    assertEquals(5, chart.xTicks().size());
    assertTrue(Charts.calibration(List.of(), java.util.Locale.ROOT).empty());
  }

  @Test
  void parameterScatterSpansTheWholeRange() {
    Charts.Chart chart = Charts.against(List.of(sample("leonardo", 0.1, 3), sample("leonardo", 0.5, 4)),
      GenerationParameters::strength, 0.1, 0.5, java.util.Locale.ROOT);
    assertEquals(Charts.LEFT, chart.dots().get(0).x());
    assertEquals(Charts.WIDTH - Charts.RIGHT, chart.dots().get(1).x());
    assertEquals("0.10", chart.xTicks().get(0).label());
    assertEquals("0.50", chart.xTicks().get(4).label());
    Charts.Chart spanish = Charts.against(List.of(sample("leonardo", 0.1, 3)), GenerationParameters::strength, 0.1, 0.5,
      java.util.Locale.forLanguageTag("es"));
    assertEquals("0,10", spanish.xTicks().get(0).label(), "decimals as the page's language writes them");
    assertEquals("0,100 → 3", spanish.dots().get(0).label());
  }

  @Test
  void barsOnlyForApisWithSamples() {
    java.util.HashMap<String, Double> averages = new java.util.HashMap<>();
    averages.put("leonardo", 4.0);
    averages.put("stablediffusion", null);
    Charts.Chart chart = Charts.perApi(averages, Map.of("leonardo", 3, "stablediffusion", 0), java.util.Locale.ROOT);
    assertEquals(1, chart.bars().size());
    assertEquals("4.00 (n=3)", chart.bars().get(0).label());
    assertEquals("Stable Diffusion", chart.xTicks().get(1).label(), "product names, not codes");
    assertEquals("4,00 (n=3)", Charts.perApi(averages, Map.of("leonardo", 3), java.util.Locale.forLanguageTag("es"))
      .bars().get(0).label());
    assertEquals(Charts.ratingY(4), chart.bars().get(0).y());
  }

  @Test
  void placementIsStablePerExperimentAndVaries() {
    assertEquals(TrainerPage.swapped("exp_abc123"), TrainerPage.swapped("exp_abc123"));
    long swapped = java.util.stream.IntStream.range(0, 200).filter(i -> TrainerPage.swapped("exp_" + i + "zzzzzz")).count();
    assertTrue(swapped > 60 && swapped < 140, "about half are swapped: " + swapped);
  }

  @Test
  void aRunsMetricPerIterationRunsFromZeroAtTheBottomToOneAtTheTopWithTheThresholdAcross() {
    Charts.Chart chart = Charts.metricByIteration(java.util.Arrays.asList(0.5, null, 1.0), 0.9,
      java.util.Locale.forLanguageTag("es"));
    assertEquals(2, chart.dots().size(), "an iteration without the metric has no dot");
    assertEquals(Charts.fractionY(0.5), chart.dots().get(0).y());
    assertEquals(Charts.TOP, chart.dots().get(1).y(), 0.001);
    assertEquals("3: 1,000", chart.dots().get(1).label(), "numbers as the page's language writes them");
    assertEquals(List.of("1", "2", "3"), chart.xTicks().stream().map(Charts.Tick::label).toList());
    assertEquals("0,25", chart.yTicks().get(1).label());
    String[] ends = chart.reference().split(" ");
    assertEquals(2, ends.length);
    assertTrue(ends[0].endsWith("," + Charts.fractionY(0.9)), chart.reference());
    assertTrue(Charts.metricByIteration(List.of(), null, java.util.Locale.ENGLISH).empty());
  }
}
