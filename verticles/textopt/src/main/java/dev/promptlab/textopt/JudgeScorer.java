package dev.promptlab.textopt;

import dev.promptlab.contract.TextoptModelCalled;
import dev.promptlab.llm.ChatClient;
import dev.promptlab.llm.ChatResponse;
import dev.promptlab.textopt.judge.JudgePrompt;
import dev.promptlab.textopt.judge.JudgeRubric;
import dev.promptlab.textopt.metrics.Score;
import dev.promptlab.textopt.run.RunRow;
import dev.promptlab.textopt.run.StoredAnswer;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each answer by asking the judge model for a verdict on the run's rubric ({@code llm_judge}). The verdict's
 * score is normalised to [0, 1] and its reason kept as the row's explanation. A verdict that cannot be read is shown
 * back to the judge with the reason, up to {@code judge_attempts} answers in all; then the row scores 0 as a failed
 * judgement, its explanation starting with {@value #NO_JUDGEMENT}. A set whose rows all failed their judgement cannot
 * be scored and fails the run; any fewer is scored with those rows at 0.
 *
 * <p>Calls go through the judge's client (the response cache, its {@code max_concurrent}), are allowed only while the
 * run may call (budget, cancel), are published with the role {@code judge}, and what they spent is returned with the
 * score, so the run counts it with the row's answer.
 */
final class JudgeScorer implements RowScorer {

  /** How a failed judgement's explanation starts, which is how a stored answer is known to have none. */
  static final String NO_JUDGEMENT = "no judgement: ";

  private static final Logger LOG = LoggerFactory.getLogger(JudgeScorer.class);

  private final ChatClient judge;
  private final JudgePrompt prompt;
  private final JudgeRubric rubric;
  private final RunControl control;
  private final WorkerExecutor workers;
  private final int attempts;

  JudgeScorer(ChatClient judge, JudgePrompt prompt, JudgeRubric rubric, RunControl control, WorkerExecutor workers,
              int attempts) {
    this.judge = judge;
    this.prompt = prompt;
    this.rubric = rubric;
    this.control = control;
    this.workers = workers;
    this.attempts = attempts;
  }

  @Override
  public String name() {
    return JudgeRubric.METRIC;
  }

  @Override
  public Future<RowScore> score(RunRow row, String answer) {
    return ask(row, answer, List.of(), BigDecimal.ZERO, 0);
  }

  private Future<RowScore> ask(RunRow row, String answer, List<Map.Entry<String, String>> refused, BigDecimal spent,
                               int tokens) {
    try {
      control.mayCall();
    } catch (RunInterrupted e) {
      return Future.failedFuture(e);
    }
    return judge.chat(prompt.request(rubric, row.input(), row.expected(), answer, refused))
      .onFailure(failure -> control.called(TextoptModelCalled.JUDGE, TextoptModelCalled.FAILED, false, 0, 0,
        BigDecimal.ZERO))
      .recover(failure -> Future.failedFuture(new IllegalStateException("the judge model could not answer for row "
        + row.id() + ": " + failure.getMessage(), failure)))
      .compose(response -> {
        BigDecimal cost = spent.add(response.spentUsd());
        int used = tokens + (response.cached() ? 0 : response.usage().totalTokens());
        // Reading a verdict is bounded by the client's largest response, but it is parsing: on a worker.
        return workers.executeBlocking(() -> prompt.read(response.content(), rubric), false).compose(verdict -> {
          called(response, TextoptModelCalled.ANSWERED);
          return Future.succeededFuture(new RowScore(new Score(rubric.normalised(verdict.score()),
            Optional.of(verdict.reason())), cost, used));
        }, failure -> {
          if (!(failure instanceof JudgePrompt.Malformed malformed)) {
            return Future.failedFuture(failure);
          }
          called(response, TextoptModelCalled.REFUSED);
          List<Map.Entry<String, String>> more = new ArrayList<>(refused);
          more.add(Map.entry(response.content(), malformed.getMessage()));
          if (more.size() >= attempts) {
            LOG.warn("textopt: run {}: no judgement of row {} after {} answers; last refused: {}", control.runId(),
              row.id(), more.size(), malformed.getMessage());
            return Future.succeededFuture(new RowScore(Score.zero(NO_JUDGEMENT + "the judge model's answer was"
              + " refused " + more.size() + " times; last: " + malformed.getMessage()), cost, used));
          }
          return ask(row, answer, more, cost, used);
        });
      });
  }

  private void called(ChatResponse response, String outcome) {
    control.called(TextoptModelCalled.JUDGE, outcome, response.cached(), response.usage().promptTokens(),
      response.usage().completionTokens(), response.spentUsd());
  }

  /** The mean of the rows' judgements; refused when every row's judgement failed (the README states the rule). */
  @Override
  public Future<Double> aggregate(List<RunRow> rows, Map<Integer, StoredAnswer> answers) {
    double sum = 0;
    int failed = 0;
    String last = null;
    for (RunRow row : rows) {
      StoredAnswer answer = answers.get(row.ordinal());
      sum += answer.score();
      if (answer.explanation() != null && answer.explanation().startsWith(NO_JUDGEMENT)) {
        failed++;
        last = answer.explanation().substring(NO_JUDGEMENT.length());
      }
    }
    if (!rows.isEmpty() && failed == rows.size()) {
      return Future.failedFuture(new Unscorable("the judge model gave no usable judgement for any of the "
        + rows.size() + " evaluation rows; last: " + last));
    }
    return Future.succeededFuture(rows.isEmpty() ? 0.0 : sum / rows.size());
  }
}
