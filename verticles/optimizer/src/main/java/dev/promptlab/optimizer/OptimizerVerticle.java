package dev.promptlab.optimizer;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.OptimizerFallback;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.Phase1Override;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StatusRequest;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.SuggestReply;
import dev.promptlab.contract.SuggestRequest;
import dev.promptlab.optimizer.model.ModelFailure;
import dev.promptlab.optimizer.study.ModelState;
import dev.promptlab.optimizer.study.RatedSample;
import dev.promptlab.optimizer.study.Study;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bayesian optimizer over the bus: one {@link Study} per training mode, rebuilt at start from every
 * stored observation. All model work runs on worker threads, one task at a time per study (a chain of
 * futures per study), so concurrent requests for a study never interleave and the event loop never
 * waits on the math.
 *
 * <p>The suggestions handed out and not rated yet keep new suggestions away from their points; they are stored
 * ({@code optimizer_pending}) after every change and reloaded at start, so an optimizer started on another node
 * does not hand them out again.
 *
 * <p>It learns ratings by itself from the http verticle's view {@code rated_variants}: each study stores
 * the highest rating id it has turned into observations and catches up past it at start, on every
 * {@link Addresses#EVENT_RATINGS_RECORDED} (the event names the study to catch up) and when a status request
 * names a rating id. A lost event only delays an observation until the next of these; each rating becomes one
 * observation however often they run ({@link StudyStore#catchUp}).
 *
 * <p>With {@code use_predicted_ratings} it also learns the reward model's predictions of best-of-N candidates no
 * trainer saw, from the http verticle's view {@code unrated_predictions}: the newest of a mode are read afresh at
 * start and on every {@link Addresses#EVENT_EXPERIMENT_CREATED} of that mode, and the study learns them as
 * down-weighted observations that never count as samples ({@link Study#usePredicted}).
 *
 * <ul>
 *   <li>{@link Addresses#OPTIMIZER_SUGGEST}: {@link SuggestRequest} → {@link SuggestReply}. When the model
 *       fails or takes longer than {@code model_timeout_ms}, random points with strategy
 *       {@code random-fallback} and the reason, and {@link Addresses#EVENT_OPTIMIZER_FALLBACK} is published.</li>
 *   <li>{@link Addresses#OPTIMIZER_STATUS}: {@link StatusRequest} → {@link StudyStatus}, after catching up to
 *       its rating id (NOT_FOUND when that rating is not in the study's ratings).</li>
 *   <li>{@link Addresses#OPTIMIZER_PHASE1_OVERRIDE}: {@code {"study", "complete"}} → {@link StudyStatus}.</li>
 * </ul>
 * Learning new ratings and overrides publish the new status on {@link Addresses#EVENT_STUDY_UPDATED}; phase 1
 * is stored in {@code optimizer_studies} when it ends. Config keys: see the module README.
 */
public final class OptimizerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OptimizerVerticle.class);
  /** Ratings read per catch-up transaction; a longer backlog takes several, each taught to the model. */
  static final int CATCH_UP_BATCH = 500;

  private final Map<String, Study> studies = new HashMap<>();
  private final Map<String, Future<?>> lanes = new HashMap<>();
  private OptimizerConfig settings;
  private Pool pool;
  private StudyStore store;
  private SplittableRandom fallbackRandom;

  /** A study after a model update: its status, phase 1 if it just ended, and the warm state to keep. */
  private record Update(StudyStatus status, Optional<String> phase1Ended, boolean phase1Reopened, ModelState state) {
  }

  private record Suggested(Study.Suggestion suggestion, ModelState state, List<Study.PendingSuggestion> pending) {
  }

  @Override
  public Future<?> start() {
    try {
      settings = OptimizerConfig.from(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    pool = PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(settings.poolSize()))
      .connectingTo(new PgConnectOptions(settings.db()))
      .using(vertx)
      .build();
    store = new StudyStore(pool);
    fallbackRandom = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
    return store.ensureStudies()
      .compose(v -> Future.all(store.loadStudies(), store.loadObservations(), store.loadPending()))
      .compose(loaded -> rebuild(loaded.resultAt(0), loaded.resultAt(1), loaded.resultAt(2)))
      .compose(v -> Future.all(List.of(
        vertx.eventBus().<Object>consumer(Addresses.OPTIMIZER_SUGGEST, this::suggest).completion(),
        vertx.eventBus().<Object>consumer(Addresses.EVENT_RATINGS_RECORDED, this::ratingsRecorded).completion(),
        vertx.eventBus().<Object>consumer(Addresses.OPTIMIZER_STATUS, this::status).completion(),
        vertx.eventBus().<Object>consumer(Addresses.OPTIMIZER_PHASE1_OVERRIDE, this::override).completion(),
        vertx.eventBus().<Object>consumer(Addresses.ping("optimizer"), m -> m.reply(PingReply.OK.toJson()))
          .completion(),
        settings.usePredictedRatings()
          ? vertx.eventBus().<Object>consumer(Addresses.EVENT_EXPERIMENT_CREATED, this::experimentCreated).completion()
          : Future.succeededFuture())))
      // After the consumers are registered: a rating committed during this catch-up has its event heard.
      .compose(v -> Future.all(ParameterSpace.MODES.stream()
        .map(mode -> serially(mode, () -> catchUp(mode))).toList()))
      .compose(v -> !settings.usePredictedRatings() ? Future.succeededFuture()
        : Future.all(ParameterSpace.MODES.stream().map(mode -> serially(mode, () -> learnPredictions(mode))).toList()))
      .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  // ------------------------------------------------------------------ start-up

  private Future<Void> rebuild(Map<String, StudyStore.StoredStudy> stored, Map<String, List<RatedSample>> observations,
                               Map<String, List<Study.PendingSuggestion>> pending) {
    List<Future<Void>> loads = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (String mode : ParameterSpace.MODES) {
      StudyStore.StoredStudy row = stored.get(mode);
      List<RatedSample> list = observations.getOrDefault(mode, List.of());
      Study study = new Study(mode, settings.settings(), settings.seed(), settings.limits());
      studies.put(mode, study);
      loads.add(serially(mode, () -> blocking(() -> {
        // Before the observations: a stored suggestion that has been rated since is dropped as they are learnt.
        study.restorePending(pending.getOrDefault(mode, List.of()), now);
        study.observeRated(list);
        study.restore(row == null ? null : row.modelState(), row == null ? null : row.phase1Reason());
        return update(study);
      }).compose(update -> persist(mode, study, update))).map(status -> {
        LOG.info("optimizer study {}: {} observations, phase 1 {}, model {}", mode, status.samples(),
          status.phase1Complete() ? "complete (" + status.phase1Reason() + ")" : "running", status.model());
        return null;
      }));
    }
    return Future.all(loads).mapEmpty();
  }

  // ------------------------------------------------------------------ handlers

  private void suggest(Message<Object> message) {
    SuggestRequest request;
    try {
      request = SuggestRequest.fromJson(jsonBody(message));
    } catch (RuntimeException e) {
      message.fail(FailureCodes.INVALID_REQUEST, "invalid suggest request: " + e.getMessage());
      return;
    }
    Study study = studies.get(request.study());
    long now = System.currentTimeMillis();
    Future<Suggested> work = serially(request.study(), () -> blocking(() -> {
      Study.Suggestion suggestion = study.suggest(request.count(), now);
      return new Suggested(suggestion, study.modelState(), study.pending());
    }).compose(done -> savePending(request.study(), done.pending()).map(done)));
    work.timeout(settings.modelTimeoutMs(), TimeUnit.MILLISECONDS)
      .compose(done -> SuggestReply.INITIAL_DESIGN.equals(done.suggestion().strategy())
        ? saveModelState(request.study(), done.state()).map(done) : Future.succeededFuture(done))
      .onSuccess(done ->
        message.reply(new SuggestReply(done.suggestion().parameters(), done.suggestion().strategy(), null).toJson()))
      .onFailure(failure -> {
        String reason;
        if (failure instanceof TimeoutException) {
          reason = "the model took longer than " + settings.modelTimeoutMs() + " ms";
          // The late answer was never handed out: its points must not keep new suggestions away.
          work.onSuccess(late -> serially(request.study(), () -> blocking(() -> {
            study.withdraw(late.suggestion().parameters());
            return study.pending();
          }).compose(left -> savePending(request.study(), left))));
        } else if (failure instanceof ModelFailure) {
          reason = "the model cannot answer: " + failure.getMessage();
          LOG.warn("optimizer study {}: {}", request.study(), reason);
        } else {
          reason = "the model failed: " + failure;
          LOG.warn("optimizer study {}: suggestion failed", request.study(), failure);
        }
        message.reply(new SuggestReply(ParameterSpace.randomPoints(request.count(), fallbackRandom),
          SuggestReply.RANDOM_FALLBACK, reason).toJson());
        vertx.eventBus().publish(Addresses.EVENT_OPTIMIZER_FALLBACK,
          new OptimizerFallback(request.study(), reason).toJson());
      });
  }

  /** The event says which study has new ratings; the ratings themselves are read from the view. */
  private void ratingsRecorded(Message<Object> message) {
    RatingsRecorded event;
    try {
      event = RatingsRecorded.fromJson(jsonBody(message));
      if (!ParameterSpace.isMode(event.mode())) {
        throw new IllegalArgumentException("unknown mode " + event.mode());
      }
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed ratings event: {}", e.getMessage());
      return;
    }
    serially(event.mode(), () -> catchUp(event.mode()))
      .onFailure(failure -> LOG.warn("optimizer study {}: ratings through id {} not learnt yet, the next catch-up"
        + " takes them: {}", event.mode(), event.throughRatingId(), failure.toString()));
  }

  /** A new experiment may have stored predictions of candidates no one will rate: the study reads them afresh. */
  private void experimentCreated(Message<Object> message) {
    ExperimentCreated event;
    try {
      event = ExperimentCreated.fromJson(jsonBody(message));
      if (!ParameterSpace.isMode(event.mode())) {
        throw new IllegalArgumentException("unknown mode " + event.mode());
      }
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed experiment event: {}", e.getMessage());
      return;
    }
    serially(event.mode(), () -> learnPredictions(event.mode()));
  }

  private void status(Message<Object> message) {
    StatusRequest request;
    try {
      request = StatusRequest.fromJson(jsonBody(message));
    } catch (RuntimeException e) {
      message.fail(FailureCodes.INVALID_REQUEST, "invalid status request: " + e.getMessage());
      return;
    }
    String mode = request.study();
    Study study = studies.get(mode);
    long through = request.throughRatingId();
    serially(mode, () -> (through == 0 ? Future.succeededFuture(through) : catchUp(mode).compose(mark ->
      mark >= through ? Future.succeededFuture(mark) : Future.failedFuture(BusFailure.notFound(
        "rating " + through + " is not among the ratings of study " + mode + " (learnt through " + mark + ")"))))
      .compose(v -> blocking(study::status)))
      .onSuccess(status -> message.reply(status.toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, "optimizer"));
  }

  private void override(Message<Object> message) {
    String mode;
    boolean complete;
    try {
      Phase1Override request = Phase1Override.fromJson(jsonBody(message));
      mode = request.study();
      complete = request.complete();
    } catch (RuntimeException e) {
      message.fail(FailureCodes.INVALID_REQUEST, "invalid phase 1 override: " + e.getMessage());
      return;
    }
    Study study = studies.get(mode);
    serially(mode, () -> {
      String reason = study.overridden(complete);
      return savePhase1(mode, reason)
        .compose(v -> blocking(() -> {
          study.setPhaseOne(reason);
          return study.status();
        }));
    })
      .onSuccess(status -> answerAndPublish(message, status))
      .onFailure(failure -> BusFailure.reply(message, failure, "optimizer"));
  }

  // ------------------------------------------------------------------ learning ratings

  /**
   * Learns every rating of {@code mode} after the study's mark, one stored batch at a time: each batch is
   * committed (observations and mark together) before the model learns it, so a failure loses nothing; the
   * ratings stay after the mark, or their observations are rebuilt into the model at the next start. Runs inside
   * the study's lane. Answers the mark reached.
   */
  private Future<Long> catchUp(String mode) {
    Study study = studies.get(mode);
    return store.catchUp(mode, CATCH_UP_BATCH)
      .recover(e -> Future.failedFuture(BusFailure.storage("ratings could not be read: " + e.getMessage())))
      .compose(step -> {
        Future<Long> learnt = step.learnt().isEmpty() ? Future.succeededFuture(step.throughRatingId())
          : blocking(() -> {
            study.observeRated(step.learnt());
            return update(study);
          }).compose(update -> persist(mode, study, update)).map(status -> {
            vertx.eventBus().publish(Addresses.EVENT_STUDY_UPDATED, status.toJson());
            return step.throughRatingId();
          });
        return step.more() ? learnt.compose(mark -> catchUp(mode)) : learnt;
      });
  }

  /**
   * Hands the study the newest predictions of its unshown candidates (replacing the ones it had). Runs inside the
   * study's lane. Never fails: predictions only help, so when they cannot be read the study keeps the ones it has.
   */
  private Future<Void> learnPredictions(String mode) {
    Study study = studies.get(mode);
    return store.newestPredictions(mode, settings.predictionWeighting().maxObservations())
      .compose(predictions -> blocking(() -> {
        study.usePredicted(predictions, settings.predictionWeighting());
        return null;
      }))
      .<Void>mapEmpty()
      .recover(failure -> {
        LOG.warn("optimizer study {}: predicted ratings not read, keeping the earlier ones: {}", mode,
          failure.toString());
        return Future.succeededFuture();
      });
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Runs {@code steps} once every earlier sequence of the same study has finished, so a study is only
   * ever touched by one sequence at a time (its model work on workers, its stores on the loop).
   */
  private <T> Future<T> serially(String study, Supplier<Future<T>> steps) {
    // A lane starts from a future of this verticle's context, so its steps' callbacks, and the timer of
    // Future.timeout on them, run on this verticle's event loop.
    Future<?> tail = lanes.computeIfAbsent(study,
      s -> Future.fromCompletionStage(CompletableFuture.completedStage(null), context));
    Future<T> next = tail.transform(ignored -> steps.get());
    lanes.put(study, next);
    return next;
  }

  private <T> Future<T> blocking(Callable<T> task) {
    return vertx.executeBlocking(task, false);
  }

  /** Status after a change and whether a phase-1 rule is now met; model work, runs on a worker. */
  private static Update update(Study study) {
    StudyStatus status = study.status();
    return new Update(status, study.phaseOneReached(status), study.phaseOneReopens(status), study.modelState());
  }

  /**
   * Keeps the warm state (best effort) and, when a phase-1 rule is met, stores the end of phase 1 before
   * the study records it; a failed store fails the request and phase 1 stays open.
   */
  private Future<StudyStatus> persist(String mode, Study study, Update update) {
    Future<Void> saved = saveModelState(mode, update.state());
    StudyStatus s = update.status();
    if (update.phase1Reopened()) {
      // Later ratings took back the evidence that ended phase 1: it runs again, stored first.
      int left = Math.max(0, settings.limits().maxSamples() - s.samples());
      return saved.compose(v -> savePhase1(mode, null)).map(v -> {
        study.setPhaseOne(null);
        return study.withPhaseOne(s, null, left);
      });
    }
    if (update.phase1Ended().isEmpty()) {
      return saved.map(s);
    }
    String reason = update.phase1Ended().get();
    return saved.compose(v -> savePhase1(mode, reason)).map(v -> {
      study.setPhaseOne(reason);
      return study.withPhaseOne(s, reason, 0);
    });
  }

  private Future<Void> savePhase1(String mode, String reason) {
    return store.savePhase1(mode, reason)
      .recover(e -> Future.failedFuture(BusFailure.storage("phase 1 could not be stored: " + e.getMessage())));
  }

  /**
   * Stores the pending suggestions, so that an optimizer started elsewhere does not hand the same points out again.
   * A failure costs only that protection (the suggestion itself stands): logged, never failing the request.
   */
  private Future<Void> savePending(String study, List<Study.PendingSuggestion> pending) {
    return store.savePending(study, pending).recover(e -> {
      LOG.warn("optimizer study {}: pending suggestions not stored ({})", study, e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Stores the warm state; it is only an optimisation, so a failure is logged and never fails a request. */
  private Future<Void> saveModelState(String study, ModelState state) {
    return store.saveModelState(study, state).recover(e -> {
      LOG.warn("optimizer study {}: warm state not stored ({})", study, e.getMessage());
      return Future.succeededFuture();
    });
  }

  private void answerAndPublish(Message<Object> message, StudyStatus status) {
    JsonObject json = status.toJson();
    message.reply(json);
    vertx.eventBus().publish(Addresses.EVENT_STUDY_UPDATED, json);
  }

  private static JsonObject jsonBody(Message<Object> message) {
    if (!(message.body() instanceof JsonObject json)) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return json;
  }
}
