package dev.promptlab.textopt;

import dev.promptlab.textopt.metrics.Metric;
import dev.promptlab.textopt.metrics.MetricAggregate;
import dev.promptlab.textopt.metrics.MetricRow;
import dev.promptlab.textopt.run.RunRow;
import dev.promptlab.textopt.run.StoredAnswer;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores with a metric of the package, on the scoring workers (some metrics take time in the answers' length). The
 * set's score is computed again from the answers, since BLEU and chrF pool their statistics over the set.
 */
final class MetricScorer implements RowScorer {

  private final Metric metric;
  private final WorkerExecutor workers;

  MetricScorer(Metric metric, WorkerExecutor workers) {
    this.metric = metric;
    this.workers = workers;
  }

  @Override
  public String name() {
    return metric.name();
  }

  @Override
  public Future<RowScore> score(RunRow row, String answer) {
    return workers.executeBlocking(() -> RowScore.free(metric.score(answer, row.expected())), false);
  }

  @Override
  public Future<Double> aggregate(List<RunRow> rows, Map<Integer, StoredAnswer> answers) {
    return workers.executeBlocking(() -> {
      List<MetricRow> scored = new ArrayList<>(rows.size());
      for (RunRow row : rows) {
        scored.add(new MetricRow(answers.get(row.ordinal()).answer(), row.expected()));
      }
      return MetricAggregate.over(metric, scored).score();
    }, false);
  }
}
