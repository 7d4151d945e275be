package dev.promptlab.textopt;

import dev.promptlab.textopt.metrics.Score;
import dev.promptlab.textopt.run.RunRow;
import dev.promptlab.textopt.run.StoredAnswer;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * How a run scores its answers: a metric of the package computed on a worker ({@link MetricScorer}), or a judge
 * model asked per row ({@link JudgeScorer}), whose calls cost money and tokens that the run counts.
 */
interface RowScorer {

  /** The name the run's scores are kept under (its {@code target_metric}). */
  String name();

  /** One row's score, with what scoring it spent (0 for a metric computed here). */
  Future<RowScore> score(RunRow row, String answer);

  /** The score of a set of rows from their stored answers (each must be present). */
  Future<Double> aggregate(List<RunRow> rows, Map<Integer, StoredAnswer> answers);

  /**
   * A score and what it cost to get.
   *
   * @param tokens the tokens of the model calls made to score (0 when cached or computed here)
   */
  record RowScore(Score score, BigDecimal costUsd, int tokens) {

    static RowScore free(Score score) {
      return new RowScore(score, BigDecimal.ZERO, 0);
    }
  }

  /** A set no answer of which could be scored: trying the step again would not help. */
  final class Unscorable extends RuntimeException {
    Unscorable(String message) {
      super(message, null, false, false);
    }
  }
}
