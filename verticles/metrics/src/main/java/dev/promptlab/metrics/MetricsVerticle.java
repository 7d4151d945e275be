package dev.promptlab.metrics;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.EvolutionFinished;
import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.OptimizerFallback;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.PromptDecided;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardProgress;
import dev.promptlab.contract.StatusRequest;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.TextRunChanged;
import dev.promptlab.contract.TextoptModelCalled;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the other verticles publish: subscribes to the published events and feeds
 * {@link TrainingMeters} on the Micrometer registry Vert.x was built with, which the http verticle
 * serves at {@code /metrics}. Answers {@code {"ok": true}} at {@code Addresses.ping("metrics")}.
 *
 * <p>At start it also asks the optimizer for each study's status, so the study gauges show the
 * persisted state after a restart instead of staying empty until the next rating. The optimizer may
 * be deployed after this verticle, so the question is repeated a few times.
 *
 * <p>Deploy one instance: every instance subscribes to the published events, so two would count
 * each event twice.
 *
 * <p>Config: {@code registry_name} (the {@code MicrometerMetricsOptions} registry name; default: the
 * default registry), {@code study_status_attempts} (default {@value #DEFAULT_STATUS_ATTEMPTS}, 0
 * turns the start-up question off), {@code study_status_interval_ms} (pause between attempts and the
 * reply timeout, default {@value #DEFAULT_STATUS_INTERVAL_MS}).
 */
public final class MetricsVerticle extends VerticleBase {

  static final int DEFAULT_STATUS_ATTEMPTS = 12;
  static final long DEFAULT_STATUS_INTERVAL_MS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);

  private final Set<Long> statusTimers = new HashSet<>();
  private TrainingMeters meters;
  private TextoptMeters textopt;
  private long statusIntervalMs;
  private boolean stopped;
  private boolean clustered;

  @Override
  public Future<?> start() {
    String registryName = config().getString("registry_name");
    MeterRegistry registry = registryName == null
      ? BackendRegistries.getDefaultNow()
      : BackendRegistries.getNow(registryName);
    if (registry == null) {
      return Future.failedFuture(new IllegalStateException("no Micrometer registry "
        + (registryName == null ? "(default)" : "named '" + registryName + "'")
        + ": build Vert.x with MicrometerMetricsOptions (Prometheus enabled, same registry name)"
        + " and a MicrometerMetricsFactory"));
    }
    int statusAttempts = config().getInteger("study_status_attempts", DEFAULT_STATUS_ATTEMPTS);
    statusIntervalMs = config().getLong("study_status_interval_ms", DEFAULT_STATUS_INTERVAL_MS);
    if (statusAttempts < 0 || statusIntervalMs < 1) {
      return Future.failedFuture(new IllegalArgumentException(
        "study_status_attempts must be >= 0 and study_status_interval_ms >= 1"));
    }
    meters = new TrainingMeters(registry);
    textopt = new TextoptMeters(registry);
    clustered = config().getJsonObject("cluster", new JsonObject()).getBoolean("enabled", false);
    return Future.all(List.of(
        vertx.eventBus().consumer(Addresses.ping("metrics"), this::ping).completion(),
        listen(Addresses.EVENT_RATINGS_RECORDED, "ratings_recorded",
          json -> meters.onRatings(RatingsRecorded.fromJson(json))),
        listen(Addresses.EVENT_EXPERIMENT_CREATED, "experiment_created",
          json -> meters.onExperiment(ExperimentCreated.fromJson(json))),
        listen(Addresses.EVENT_GENERATION_FINISHED, "generation_finished",
          json -> meters.onGeneration(GenerationFinished.fromJson(json))),
        listen(Addresses.EVENT_PROVIDER_CIRCUIT, "provider_circuit",
          json -> meters.onCircuit(ProviderCircuitChanged.fromJson(json))),
        listen(Addresses.EVENT_STUDY_UPDATED, "study_updated",
          json -> meters.onStudy(StudyStatus.fromJson(json))),
        listen(Addresses.EVENT_OPTIMIZER_FALLBACK, "optimizer_fallback",
          json -> meters.onFallback(OptimizerFallback.fromJson(json).study())),
        listen(Addresses.EVENT_EVOLUTION_FINISHED, "evolution_finished",
          json -> meters.onEvolution(EvolutionFinished.fromJson(json))),
        listen(Addresses.EVENT_PROMPT_DECIDED, "prompt_decided",
          json -> meters.onPromptDecision(PromptDecided.fromJson(json))),
        listen(Addresses.EVENT_REWARD_PROGRESS, "reward_progress",
          json -> meters.onRewardProgress(RewardProgress.fromJson(json))),
        listen(Addresses.EVENT_REWARD_MODEL_TRAINED, "reward_model_trained",
          json -> meters.onRewardModel(RewardModelSummary.fromJson(json))),
        listen(Addresses.EVENT_TEXTOPT_RUN_CHANGED, "textopt_run_changed",
          json -> textopt.onRunChanged(TextRunChanged.fromJson(json))),
        listen(Addresses.EVENT_TEXTOPT_MODEL_CALLED, "textopt_model_called",
          json -> textopt.onModelCalled(TextoptModelCalled.fromJson(json)))))
      .onSuccess(done -> ParameterSpace.MODES.forEach(mode -> askStudyStatus(mode, statusAttempts)));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    statusTimers.forEach(vertx::cancelTimer);
    statusTimers.clear();
    return Future.succeededFuture();
  }

  private void ping(Message<Object> message) {
    message.reply(PingReply.OK.toJson());
  }

  /**
   * Subscribes {@code record} to a published event. {@code event} names the event in the rejected
   * counter; a body that is not a JSON object or that the meters refuse is counted there and logged,
   * since a published event has nobody to answer.
   */
  private Future<Void> listen(String address, String event, Consumer<JsonObject> record) {
    Handler<Message<Object>> count = message -> {
      try {
        if (!(message.body() instanceof JsonObject json)) {
          throw new IllegalArgumentException("the body is not a JSON object");
        }
        record.accept(json);
      } catch (RuntimeException e) {
        meters.onRejectedEvent(event);
        LOG.warn("could not count a {} event: {}", event, e.toString());
      }
    };
    // On a node of a cluster an event published anywhere reaches every node: each counts only its own node's
    // events, so that the nodes' /metrics add up instead of counting each event once per node.
    return (clustered ? vertx.eventBus().localConsumer(address, count) : vertx.eventBus().consumer(address, count))
      .completion();
  }

  private void askStudyStatus(String mode, int attemptsLeft) {
    if (stopped || attemptsLeft == 0) {
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.OPTIMIZER_STATUS, new StatusRequest(mode, 0).toJson(),
        new DeliveryOptions().setSendTimeout(statusIntervalMs))
      .map(reply -> StudyStatus.fromJson(reply.body()))
      .onSuccess(status -> seed(mode, status))
      .onFailure(err -> {
        if (err instanceof ReplyException && attemptsLeft > 1 && !stopped) {
          statusTimers.add(vertx.setTimer(statusIntervalMs, timer -> {
            statusTimers.remove(timer);
            askStudyStatus(mode, attemptsLeft - 1);
          }));
        } else {
          LOG.info("study gauges of {} wait for the next study update: {}", mode, err.toString());
        }
      });
  }

  private void seed(String mode, StudyStatus status) {
    try {
      meters.seedStudy(status);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignored the optimizer's status of {}: {}", mode, e.getMessage());
    }
  }
}
