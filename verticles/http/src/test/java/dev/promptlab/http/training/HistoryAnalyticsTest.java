package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.promptlab.contract.GenerationParameters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryAnalyticsTest {

  private static RatedSample sample(String api, int rating, double strength) {
    return new RatedSample("structure", new GenerationParameters(api, strength, 7.0, 0.9), "v1.0.0", rating);
  }

  @Test
  void emptyHistoryHasNoAverages() {
    HistoryAnalytics analytics = HistoryAnalytics.of(List.of());
    assertEquals(0, analytics.totalSamples());
    assertNull(analytics.avgRating());
    assertEquals(List.of(), analytics.ratingTrend());
    assertEquals(0, analytics.apiPerformance().get("leonardo").count());
    assertNull(analytics.apiPerformance().get("stablediffusion").avgRating());
  }

  @Test
  void trendAveragesEachRunOfTenSamples() {
    List<RatedSample> samples = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      samples.add(sample("leonardo", i < 5 ? 2 : 3, 0.2));
    }
    for (int i = 0; i < 10; i++) {
      samples.add(sample("stablediffusion", 4, 0.3));
    }
    samples.add(sample("leonardo", 5, 0.4));
    samples.add(sample("leonardo", 4, 0.45));
    HistoryAnalytics analytics = HistoryAnalytics.of(samples);
    assertEquals(22, analytics.totalSamples());
    assertEquals(List.of(2.5, 4.0, 4.5), analytics.ratingTrend());
    assertEquals(3.36, analytics.avgRating());
    assertEquals(12, analytics.apiPerformance().get("leonardo").count());
    assertEquals(2.83, analytics.apiPerformance().get("leonardo").avgRating());
    assertEquals(4.0, analytics.apiPerformance().get("stablediffusion").avgRating());
  }
}
