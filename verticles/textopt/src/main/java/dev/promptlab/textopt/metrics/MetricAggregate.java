package dev.promptlab.textopt.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A metric over a set of rows: the set's score, the mean of the rows' scores, and every row's score in row order so
 * the worst rows can be shown to the optimizer model or on a page.
 *
 * @param metric the metric's name
 * @param score the set's score: the pooled corpus score for a {@link CorpusMetric} (BLEU, chrF), else the mean
 * @param meanRowScore the mean of the rows' scores (equal to {@code score} for per-row metrics)
 * @param count how many rows were scored
 * @param rowScores one score per row, in the order of the rows given
 */
public record MetricAggregate(String metric, double score, double meanRowScore, int count, List<Score> rowScores) {

  public MetricAggregate {
    Objects.requireNonNull(metric, "metric");
    rowScores = List.copyOf(rowScores);
    if (rowScores.size() != count) {
      throw new IllegalArgumentException(count + " rows but " + rowScores.size() + " scores");
    }
  }

  /**
   * Scores every row, then the set.
   *
   * @throws IllegalArgumentException if there is no row
   */
  public static MetricAggregate over(Metric metric, List<MetricRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to score with " + metric.name());
    }
    List<Score> scores = new ArrayList<>(rows.size());
    double sum = 0.0;
    for (MetricRow row : rows) {
      Score score = metric.score(row.prediction(), row.reference());
      scores.add(score);
      sum += score.value();
    }
    double mean = sum / rows.size();
    double setScore = metric instanceof CorpusMetric corpus ? corpus.corpusScore(rows) : mean;
    return new MetricAggregate(metric.name(), setScore, mean, rows.size(), scores);
  }

  /** Indices of the rows scoring below {@code threshold}, in row order: the failures a sample is drawn from. */
  public List<Integer> rowsBelow(double threshold) {
    List<Integer> below = new ArrayList<>();
    for (int i = 0; i < rowScores.size(); i++) {
      if (rowScores.get(i).value() < threshold) {
        below.add(i);
      }
    }
    return below;
  }
}
