package dev.promptlab.http.training;

import dev.promptlab.contract.ParameterSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics block of the history: totals, the rating trend as the average of each run of
 * {@value #TREND_WINDOW} consecutive samples (the last run may be shorter) and the average per API. (The best
 * parameters are the studies', not the top-rated variant: one lucky vote is not a best setting.) Pure: the caller
 * supplies the samples, oldest first.
 */
public record HistoryAnalytics(int totalSamples, Double avgRating, List<Double> ratingTrend,
                               Map<String, ApiPerformance> apiPerformance) {

  public static final int TREND_WINDOW = 10;

  /** Average rating and sample count of one image API; {@code avgRating} is null without samples. */
  public record ApiPerformance(Double avgRating, int count) {
  }

  public static HistoryAnalytics of(List<RatedSample> samples) {
    List<Double> trend = new ArrayList<>();
    for (int start = 0; start < samples.size(); start += TREND_WINDOW) {
      trend.add(round2(average(samples.subList(start, Math.min(samples.size(), start + TREND_WINDOW)))));
    }
    Map<String, ApiPerformance> perApi = new LinkedHashMap<>();
    for (String api : ParameterSpace.APIS) {
      List<RatedSample> ofApi = samples.stream().filter(s -> s.parameters().api().equals(api)).toList();
      perApi.put(api, new ApiPerformance(ofApi.isEmpty() ? null : round2(average(ofApi)), ofApi.size()));
    }
    return new HistoryAnalytics(samples.size(), samples.isEmpty() ? null : round2(average(samples)), trend, perApi);
  }

  private static double average(List<RatedSample> samples) {
    return samples.stream().mapToInt(RatedSample::rating).average().orElse(Double.NaN);
  }

  static double round2(double value) {
    return Math.round(value * 100.0) / 100.0;
  }
}
