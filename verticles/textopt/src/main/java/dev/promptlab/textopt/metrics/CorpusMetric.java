package dev.promptlab.textopt.metrics;

import java.util.List;

/**
 * A metric defined over a whole set of rows rather than as the mean of its rows (BLEU and chrF pool their
 * n-gram statistics over the set before computing one score, as sacreBLEU does).
 *
 * <p>{@link #score} remains the sentence-level variant, used to rank rows and sample failures.
 */
public interface CorpusMetric extends Metric {

  /**
   * The score of the whole set, in [0, 1].
   *
   * @throws IllegalArgumentException if {@code rows} is empty
   */
  double corpusScore(List<MetricRow> rows);
}
