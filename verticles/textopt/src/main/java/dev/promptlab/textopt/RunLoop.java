package dev.promptlab.textopt;

import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.contract.TextoptModelCalled;
import dev.promptlab.llm.ChatClient;
import dev.promptlab.llm.ChatRequest;
import dev.promptlab.llm.ChatResponse;
import dev.promptlab.llm.ResponseFormat;
import dev.promptlab.textopt.RunStore.CandidateState;
import dev.promptlab.textopt.RunStore.IterationState;
import dev.promptlab.textopt.RunStore.RunState;
import dev.promptlab.textopt.run.CandidateOrder;
import dev.promptlab.textopt.run.CandidateOrder.Candidate;
import dev.promptlab.textopt.run.CandidateOrder.RankedCandidate;
import dev.promptlab.textopt.run.FailureSample;
import dev.promptlab.textopt.run.MetaPrompt;
import dev.promptlab.textopt.run.PastCandidate;
import dev.promptlab.textopt.run.PromptState;
import dev.promptlab.textopt.run.ProposalCheck;
import dev.promptlab.textopt.run.RunRow;
import dev.promptlab.textopt.run.StopRules;
import dev.promptlab.textopt.run.StoredAnswer;
import dev.promptlab.textopt.run.TrainingWindow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run, from wherever its stored state says it is, to its end: per iteration, the incumbent answers
 * the evaluation rows and a window of training rows (inference, scored on the evaluation rows); the optimizer model
 * sees the training failures and proposes candidates (optimisation, stored as prompt versions); the candidates answer
 * the evaluation rows (candidates); the best one that beats the incumbent by the margin replaces it (decision). Each
 * step is idempotent over what is stored, so resuming is running the loop again. A failed step is tried again up to
 * {@code step_attempts} times before the run fails.
 */
final class RunLoop {

  private static final Logger LOG = LoggerFactory.getLogger(RunLoop.class);

  /** An optimizer answer that was refused as many times as allowed: asking again would not help. */
  static final class ProposalsRefused extends RuntimeException {
    ProposalsRefused(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final RunStore store;
  private final RunControl control;
  private final RunSettings settings;
  private final ChatClient task;
  private final ChatClient optimizer;
  private final MetaPrompt metaPrompt;
  private final CandidateOrder order;
  private final WorkerExecutor workers;
  private final RowScorer scorer;
  private RunState run;
  private StopRules rules;
  private List<RunRow> evalRows;
  private List<RunRow> trainRows;
  private RowAnswers answers;

  RunLoop(Vertx vertx, RunStore store, RunControl control, RunSettings settings, ChatClient task,
          ChatClient optimizer, MetaPrompt metaPrompt, CandidateOrder order, WorkerExecutor workers, RowScorer scorer) {
    this.vertx = vertx;
    this.store = store;
    this.control = control;
    this.settings = settings;
    this.task = task;
    this.optimizer = optimizer;
    this.metaPrompt = metaPrompt;
    this.order = order;
    this.workers = workers;
    this.scorer = scorer;
  }

  /** Runs to the end; the future completes once the run's final state is stored (or the verticle stops). */
  Future<Void> run() {
    long id = control.runId();
    return store.state(id).compose(state -> {
      run = state;
      BigDecimal budget = state.settings().budgetUsd() == null ? null
        : new BigDecimal(state.settings().budgetUsd().toString());
      rules = new StopRules(state.settings().targetThreshold(), state.settings().patience(),
        state.settings().maxIterations(), state.settings().margin(), budget);
      control.rules(rules);
      control.spent(state.costUsd(), state.tokens());
      control.bestScore(state.bestMetrics() == null ? null : state.bestMetrics().getDouble(scorer.name()));
      answers = new RowAnswers(store, control, task, scorer);
      return store.rows(state.settings().datasetId());
    }).compose(rows -> {
      evalRows = rows.stream().filter(RunRow::eval).toList();
      trainRows = rows.stream().filter(row -> !row.eval()).toList();
      return store.iterations(id);
    }).compose(this::resume)
      .recover(this::ended);
  }

  private Future<Void> resume(List<IterationState> iterations) {
    if (iterations.isEmpty()) {
      return iteration(1);
    }
    IterationState last = iterations.get(iterations.size() - 1);
    if (!"decided".equals(last.step())) {
      return iteration(last.n());
    }
    // Stopped between a decision and its consequence: the stored decision says what comes next.
    Optional<String> stop = rules.afterDecision(last.n(), bestScore(), run.staleIterations());
    return stop.isPresent() ? finish(stop.get(), null) : iteration(last.n() + 1);
  }

  private double bestScore() {
    return run.bestMetrics().getDouble(scorer.name());
  }

  private Future<Void> iteration(int n) {
    control.iteration(n);
    int incumbentVersion = run.bestVersion() == null ? run.startVersion() : run.bestVersion();
    return retried("inference", () -> store.openIteration(run.id(), n, incumbentVersion)
        .compose(its -> inference(find(its, n))))
      .compose(it -> {
        double incumbentScore = it.metrics().getDouble(scorer.name());
        control.bestScore(incumbentScore);
        if (rules.reached(incumbentScore)) {
          return finish(StopRules.THRESHOLD, null);
        }
        return retried("optimisation", () -> optimisation(it, incumbentScore))
          .compose(proposed -> retried("candidates", () -> candidates(proposed, incumbentScore)))
          .compose(evaluated -> decide(evaluated, incumbentScore));
      });
  }

  private static IterationState find(List<IterationState> iterations, int n) {
    return iterations.stream().filter(it -> it.n() == n).findFirst().orElseThrow();
  }

  /** The incumbent's scores on the evaluation rows and its failures on the iteration's training window. */
  private Future<IterationState> inference(IterationState it) {
    if (!"inference".equals(it.step())) {
      return Future.succeededFuture(it);
    }
    List<RunRow> window = TrainingWindow.of(trainRows, it.n(), settings.trainingRowsPerIteration());
    List<RunRow> rows = new ArrayList<>(evalRows);
    rows.addAll(window);
    return store.version(run.settings().promptId(), it.promptVersion())
      .compose(state -> answers.answer(it.n(), it.promptVersion(), state, rows, "inference", 0, rows.size()))
      .compose(found -> metrics(found).compose(metrics -> {
        List<TextRunFailure> failures = FailureSample.worst(window, found, settings.failuresShown());
        return store.scored(run.id(), it.n(), it.promptVersion(), metrics, failures)
          .compose(v -> store.iterations(run.id())).map(its -> find(its, it.n()));
      }));
  }

  /** The run's score over the evaluation rows' answers. */
  private Future<JsonObject> metrics(Map<Integer, StoredAnswer> found) {
    return scorer.aggregate(evalRows, found).map(score -> new JsonObject().put(scorer.name(), score));
  }

  private Future<IterationState> optimisation(IterationState it, double incumbentScore) {
    if (!"optimisation".equals(it.step())) {
      return Future.succeededFuture(it);
    }
    return store.step(run.id(), "optimisation", 0, 1)
      .andThen(v -> control.progress("optimisation", 0, 1))
      .compose(v -> store.version(run.settings().promptId(), it.promptVersion()))
      .compose(incumbent -> store.answers(run.id(), it.promptVersion())
        .compose(found -> propose(it, incumbent, incumbentScore, explanations(it.failures(), found), List.of()))
        .compose(candidates -> history().compose(history -> workers.executeBlocking(() -> ranked(it, incumbent,
          incumbentScore, candidates, history), false)))
        .compose(ranked -> store.propose(run.id(), it.n(), run.settings().promptId(), it.promptVersion(), ranked,
          run.createdBy())))
      .compose(v -> store.iterations(run.id())).map(its -> find(its, it.n()));
  }

  private Map<String, String> explanations(List<TextRunFailure> failures, Map<Integer, StoredAnswer> found) {
    Map<String, String> byRow = new HashMap<>();
    Map<String, Integer> ordinals = new HashMap<>();
    trainRows.forEach(row -> ordinals.put(row.id(), row.ordinal()));
    for (TextRunFailure failure : failures) {
      StoredAnswer answer = found.get(ordinals.get(failure.rowId()));
      if (answer != null && answer.explanation() != null) {
        byRow.put(failure.rowId(), answer.explanation());
      }
    }
    return byRow;
  }

  /** Asks the optimizer model; a refused answer is shown back to it with the reason, up to the allowed attempts. */
  private Future<List<Candidate>> propose(IterationState it, PromptState incumbent, double score,
                                          Map<String, String> explanations, List<Map.Entry<String, String>> refused) {
    int wanted = run.settings().candidatesPerIteration();
    try {
      control.mayCall();
    } catch (RunInterrupted e) {
      return Future.failedFuture(e);
    }
    ChatRequest request = new ChatRequest(metaPrompt.messages(scorer.name(), score,
      run.settings().targetThreshold(), incumbent, it.failures(), explanations, wanted, refused),
      settings.optimizerTemperature(), null, null, ResponseFormat.jsonSchema("prompt_candidates",
        ProposalCheck.SCHEMA, true));
    return optimizer.chat(request)
      .onFailure(failure -> control.called(TextoptModelCalled.OPTIMIZER, TextoptModelCalled.FAILED, false, 0, 0,
        BigDecimal.ZERO))
      .recover(failure -> Future.failedFuture(new IllegalStateException("the optimizer model could not answer: "
        + failure.getMessage(), failure)))
      .compose(response -> store.addCost(run.id(), it.n(), response.spentUsd(),
          response.cached() ? 0 : response.usage().totalTokens())
        .compose(spent -> {
          control.spent(spent.costUsd(), spent.tokens());
          try {
            List<Candidate> candidates = ProposalCheck.check(response.content(), wanted, incumbent);
            called(response, TextoptModelCalled.ANSWERED);
            return Future.succeededFuture(candidates);
          } catch (ProposalCheck.Refused refusal) {
            called(response, TextoptModelCalled.REFUSED);
            LOG.warn("textopt: run {}: the optimizer model's answer was refused: {}", run.id(), refusal.getMessage());
            List<Map.Entry<String, String>> more = new ArrayList<>(refused);
            more.add(Map.entry(response.content(), refusal.getMessage()));
            if (more.size() >= settings.proposalAttempts()) {
              return Future.failedFuture(new ProposalsRefused("the optimizer model's answer was refused "
                + more.size() + " times; last: " + refusal.getMessage()));
            }
            return propose(it, incumbent, score, explanations, more);
          }
        }));
  }

  private void called(ChatResponse response, String outcome) {
    control.called(TextoptModelCalled.OPTIMIZER, outcome, response.cached(), response.usage().promptTokens(),
      response.usage().completionTokens(), response.spentUsd());
  }

  /** What the meta-model learns from: past evaluated candidates with this run's metric; none when it is off. */
  private Future<List<PastCandidate>> history() {
    return settings.metaModel() ? store.pastCandidates(scorer.name(), settings.metaModelMaxHistory())
      : Future.succeededFuture(List.of());
  }

  /** The candidates in the ordering's order, checked to be each candidate exactly once. */
  private List<RankedCandidate> ranked(IterationState it, PromptState incumbent, double score,
                                       List<Candidate> candidates, List<PastCandidate> history) {
    List<RankedCandidate> ranked = order.order(new CandidateOrder.OrderContext(run.id(),
      run.settings().datasetId(), scorer.name(), it.n(), incumbent, score, run.settings().margin(), it.failures(),
      history), candidates);
    if (ranked.size() != candidates.size() || !new HashSet<>(ranked.stream().map(RankedCandidate::candidate)
      .toList()).equals(new HashSet<>(candidates))) {
      throw new IllegalStateException("the candidate ordering must return each candidate exactly once");
    }
    return ranked;
  }

  /** Evaluates the candidates in rank order; with the meta-model on, stops at the first that wins. */
  private Future<IterationState> candidates(IterationState it, double incumbentScore) {
    int total = it.candidates().size() * evalRows.size();
    Future<Void> chain = Future.succeededFuture();
    boolean[] won = {false};
    for (int i = 0; i < it.candidates().size(); i++) {
      CandidateState candidate = it.candidates().get(i);
      int before = i * evalRows.size();
      chain = chain.compose(v -> {
        if (won[0]) {
          return Future.succeededFuture();
        }
        Future<Double> scored = candidate.metrics() != null
          ? Future.succeededFuture(candidate.metrics().getDouble(scorer.name()))
          : answers.answer(it.n(), candidate.promptVersion(), candidate.state(), evalRows, "candidates", before, total)
            .compose(this::metrics)
            .compose(metrics -> store.candidateScored(run.id(), it.n(), candidate.ordinal(), metrics)
              .map(metrics.getDouble(scorer.name())));
        return scored.map(score -> {
          won[0] = settings.metaModel() && rules.beats(score, incumbentScore);
          return null;
        });
      });
    }
    return chain.compose(v -> store.iterations(run.id())).map(its -> find(its, it.n()));
  }

  private Future<Void> decide(IterationState it, double incumbentScore) {
    CandidateState best = null;
    for (CandidateState candidate : it.candidates()) {
      if (candidate.metrics() != null && rules.beats(candidate.metrics().getDouble(scorer.name()), incumbentScore)
        && (best == null || candidate.metrics().getDouble(scorer.name()) > best.metrics().getDouble(scorer.name()))) {
        best = candidate;
      }
    }
    int stale = best == null ? run.staleIterations() + 1 : 0;
    int bestVersion = best == null ? it.promptVersion() : best.promptVersion();
    JsonObject bestMetrics = best == null ? it.metrics() : best.metrics();
    Integer accepted = best == null ? null : best.ordinal();
    return store.decide(run.id(), it.n(), accepted, bestVersion, bestMetrics, stale)
      .compose(v -> store.state(run.id()))
      .compose(state -> {
        run = state;
        control.bestScore(bestScore());
        Optional<String> stop = rules.afterDecision(it.n(), bestScore(), stale);
        return stop.isPresent() ? finish(stop.get(), null) : iteration(it.n() + 1);
      });
  }

  /** Tries a step again after a failure, up to the configured attempts; interruptions are not failures. */
  private <T> Future<T> retried(String step, Supplier<Future<T>> attempt) {
    return retried(step, attempt, 1);
  }

  private <T> Future<T> retried(String step, Supplier<Future<T>> attempt, int number) {
    return attempt.get().recover(failure -> {
      if (failure instanceof RunInterrupted || failure instanceof ProposalsRefused
        || failure instanceof RowScorer.Unscorable || control.stopping()
        || number >= settings.stepAttempts()) {
        return Future.failedFuture(failure);
      }
      LOG.warn("textopt: run {}: step {} failed (attempt {} of {}), trying again: {}", run.id(), step, number,
        settings.stepAttempts(), failure.getMessage());
      Future<?> pause = settings.stepRetryDelayMs() == 0 ? Future.succeededFuture()
        : vertx.timer(settings.stepRetryDelayMs());
      return pause.compose(t -> retried(step, attempt, number + 1));
    });
  }

  /** Where a run ends that did not reach a stop rule: interrupted, or failed. */
  private Future<Void> ended(Throwable failure) {
    if (failure instanceof RunInterrupted interrupted) {
      return switch (interrupted.why()) {
        // The cancel already stored the run's end; a stopping verticle leaves the run to resume.
        case CANCELLED, STOPPING -> Future.succeededFuture();
        case BUDGET -> finish(StopRules.BUDGET, null);
      };
    }
    if (control.stopping()) {
      return Future.succeededFuture();
    }
    LOG.warn("textopt: run {} failed: {}", control.runId(), failure.toString());
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return finish(StopRules.ERROR, message);
  }

  private Future<Void> finish(String stopReason, String error) {
    String status = StopRules.statusOf(stopReason);
    return store.finish(control.runId(), status, stopReason, error).map(finished -> {
      if (finished) {
        control.finished(status, stopReason);
        LOG.info("textopt: run {} {} ({})", control.runId(), status, stopReason);
      }
      return null;
    });
  }
}
