package dev.promptlab.textopt;

import dev.promptlab.contract.TextoptModelCalled;
import dev.promptlab.llm.ChatClient;
import dev.promptlab.llm.ChatRequest;
import dev.promptlab.llm.ResponseFormat;
import dev.promptlab.textopt.run.PromptState;
import dev.promptlab.textopt.run.RunRow;
import dev.promptlab.textopt.run.StoredAnswer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Has the task model answer rows with one prompt version and stores each answer with its score as soon as it is
 * in, so a stopped run never asks a row again. Rows already answered in this run are read back, not asked.
 * At most the endpoint's {@code max_concurrent} rows are asked at once (more would only wait in the client's queue,
 * and a large dataset would overflow it); the first failure stops asking more and fails the whole step.
 */
final class RowAnswers {

  private final RunStore store;
  private final RunControl control;
  private final ChatClient task;
  private final RowScorer scorer;

  RowAnswers(RunStore store, RunControl control, ChatClient task, RowScorer scorer) {
    this.store = store;
    this.control = control;
    this.task = task;
    this.scorer = scorer;
  }

  /**
   * Every row's answer by {@code version}, asking the task model for those not stored yet.
   *
   * @param alreadyDone answers of the step counted before these rows (progress of a step over several versions)
   * @param stepTotal the step's total for progress
   */
  Future<Map<Integer, StoredAnswer>> answer(int n, int version, PromptState state, List<RunRow> rows, String step,
                                            int alreadyDone, int stepTotal) {
    long runId = control.runId();
    return store.answers(runId, version).compose(stored -> {
      Map<Integer, StoredAnswer> answers = new ConcurrentHashMap<>(stored);
      List<RunRow> missing = rows.stream().filter(row -> !answers.containsKey(row.ordinal())).toList();
      int done = alreadyDone + rows.size() - missing.size();
      return store.step(runId, step, done, stepTotal)
        .andThen(v -> control.progress(step, done, stepTotal))
        .compose(v -> askAll(n, version, state, missing, answers, step, stepTotal))
        .map(v -> answers);
    });
  }

  private Future<Void> askAll(int n, int version, PromptState state, List<RunRow> missing,
                              Map<Integer, StoredAnswer> answers, String step, int stepTotal) {
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    Iterator<RunRow> next = missing.iterator();
    Promise<Void> all = Promise.promise();
    int lanes = Math.min(task.endpoint().maxConcurrent(), missing.size());
    int[] running = {lanes};
    for (int i = 0; i < lanes; i++) {
      lane(n, version, state, next, answers, step, stepTotal, all, running);
    }
    return all.future();
  }

  /** Asks rows one after another until none is left or a call failed; the last lane to end completes the step. */
  private void lane(int n, int version, PromptState state, Iterator<RunRow> next, Map<Integer, StoredAnswer> answers,
                    String step, int stepTotal, Promise<Void> all, int[] running) {
    if (all.future().isComplete() || !next.hasNext()) {
      if (--running[0] == 0) {
        all.tryComplete();
      }
      return;
    }
    RunRow row = next.next();
    Future<Void> one;
    try {
      control.mayCall();
      one = ask(n, version, state, row, answers, step, stepTotal);
    } catch (RuntimeException e) {
      one = Future.failedFuture(e);
    }
    one.onSuccess(v -> lane(n, version, state, next, answers, step, stepTotal, all, running))
      .onFailure(failure -> {
        all.tryFail(failure);
        --running[0];
      });
  }

  private Future<Void> ask(int n, int version, PromptState state, RunRow row, Map<Integer, StoredAnswer> answers,
                           String step, int stepTotal) {
    // Temperature 0: the answer is a function of the prompt and the input, which is what the cache keys on.
    ChatRequest request = new ChatRequest(state.messages(row.input()), 0.0, null, null, ResponseFormat.TEXT);
    return task.chat(request)
      .onFailure(failure -> control.called(TextoptModelCalled.TASK, TextoptModelCalled.FAILED, false, 0, 0,
        BigDecimal.ZERO))
      .recover(failure -> Future.failedFuture(new IllegalStateException("the task model could not answer row "
        + row.id() + ": " + failure.getMessage(), failure)))
      .compose(response -> scorer.score(row, response.content()).compose(scored -> {
        StoredAnswer answer = new StoredAnswer(row.ordinal(), response.content(), scored.score().value(),
          scored.score().explanation().orElse(null));
        // What judging the answer spent is the answer's cost too: one statement adds both to the run.
        return store.saveAnswer(control.runId(), n, version, answer, response.cached(),
            response.spentUsd().add(scored.costUsd()),
            (response.cached() ? 0 : response.usage().totalTokens()) + scored.tokens())
          .map(spent -> {
            answers.put(row.ordinal(), answer);
            control.spent(spent.costUsd(), spent.tokens());
            control.called(TextoptModelCalled.TASK, TextoptModelCalled.ANSWERED, response.cached(),
              response.usage().promptTokens(), response.usage().completionTokens(), response.spentUsd());
            control.progress(step, spent.stepDone(), stepTotal);
            return null;
          });
      }));
  }

  /** The answers of {@code rows} in row order (each must be present). */
  static List<StoredAnswer> inOrder(List<RunRow> rows, Map<Integer, StoredAnswer> answers) {
    List<StoredAnswer> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(answers.get(row.ordinal())));
    return list;
  }
}
