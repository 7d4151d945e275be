package dev.promptlab.metrics;

import dev.promptlab.contract.EvolutionFinished;
import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PromptDecided;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardProgress;
import dev.promptlab.contract.StudyStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The PromptLab training meters: turns what happened (ratings, experiments, generations, provider circuit
 * states, study updates, optimizer fallbacks, prompt evolutions and decisions, the reward model's backfill and
 * trainings) into Micrometer meters on one registry.
 *
 * <p>Names follow the Prometheus conventions once rendered by a Prometheus registry (snake case,
 * base unit seconds, {@code _total} on counters). Tags come only from small fixed vocabularies (see
 * {@link TagValues}); ids, emails, comments and free-text reasons never become tags.
 *
 * <p>Any number of instances may work on the same registry, one after the other (a redeployed
 * verticle) or at once: meters are shared by name and tags, gauge values by {@link MeterState}.
 * Methods throw {@link IllegalArgumentException} on an event that cannot be counted honestly (a rating
 * outside 1–5, a negative duration or count) and then record nothing of it.
 */
public final class TrainingMeters {

  static final String RATINGS = "promptlab.ratings";
  static final String RATING = "promptlab.rating";
  static final String GENERATION = "promptlab.generation";
  static final String GENERATION_ERRORS = "promptlab.generation.errors";
  static final String EXPERIMENTS = "promptlab.experiments";
  static final String OPTIONS_GENERATED = "promptlab.options.generated";
  static final String OPTIONS_FAILED = "promptlab.options.failed";
  static final String OPTIMIZER_FALLBACKS = "promptlab.optimizer.fallbacks";
  static final String EVOLUTIONS = "promptlab.evolutions";
  static final String PROMPT_DECISIONS = "promptlab.prompt.decisions";
  static final GaugeSpec SAMPLES_COLLECTED =
    new GaugeSpec("promptlab.samples.collected", "Rated variants (samples) collected so far");
  static final GaugeSpec BEST_RATING =
    new GaugeSpec("promptlab.best.rating", "Best rating the optimizer's model expects (posterior mean)");
  static final GaugeSpec PHASE1_COMPLETE =
    new GaugeSpec("promptlab.phase1.complete", "1 once phase 1 of the mode's study is complete, else 0");
  static final GaugeSpec STUDY_CONVERGENCE =
    new GaugeSpec("promptlab.study.convergence", "Convergence of the optimizer study, 0 to 1");
  static final GaugeSpec PROVIDER_CIRCUIT_STATE = new GaugeSpec("promptlab.provider.circuit.state",
    "Circuit breaker of an external image provider: 0 closed, 1 half open (the next call is a trial), 2 open");
  static final String REWARD_FEATURES_COMPUTED = "promptlab.reward.features.computed";
  static final String REWARD_FEATURES_FAILED = "promptlab.reward.features.failed";
  static final String REWARD_MODELS_TRAINED = "promptlab.reward.models.trained";
  static final GaugeSpec REWARD_FEATURES_PENDING = new GaugeSpec("promptlab.reward.features.pending",
    "Rated variants whose images still wait for their reward-model features");
  static final GaugeSpec REWARD_MODEL_MAE = new GaugeSpec("promptlab.reward.model.mae",
    "Held-out mean absolute error of the newest judged reward model, in stars");
  static final GaugeSpec REWARD_MODEL_WITHIN_HALF_STAR = new GaugeSpec("promptlab.reward.model.within.half.star",
    "Share of held-out predictions of the newest judged reward model within half a star, 0 to 1");
  static final GaugeSpec REWARD_MODEL_PAIRWISE_ACCURACY = new GaugeSpec("promptlab.reward.model.pairwise.accuracy",
    "Share of held-out pairs the newest judged reward model orders right, 0 to 1");
  static final String EVENTS_REJECTED = "promptlab.metrics.events.rejected";

  /** Buckets for one rendered variant: the local provider answers in tens of ms, remote APIs in minutes. */
  static final Duration[] GENERATION_BUCKETS = {
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

  private static final double[] RATING_BUCKETS = {1, 2, 3, 4, 5};

  private final MeterRegistry registry;
  private final MeterState state;

  public TrainingMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.state = MeterState.of(registry);
    registerKnownSeries();
  }

  /**
   * Series whose tag values are all known up front start at zero, so that the first event already
   * shows as an increase in {@code rate()}/{@code increase()} and a dashboard finds every series.
   */
  private void registerKnownSeries() {
    for (String mode : ParameterSpace.MODES) {
      for (String api : ParameterSpace.APIS) {
        ratingSummary(api, mode);
        for (int rating = 1; rating <= 5; rating++) {
          ratingsCounter(api, mode, rating);
        }
      }
      for (String strategy : TagValues.STRATEGIES) {
        experimentsCounter(mode, strategy);
      }
      optionsGeneratedCounter(mode);
      optionsFailedCounter(mode);
      fallbacksCounter(mode);
    }
    TagValues.DECISION_OUTCOMES.forEach((kind, outcomes) -> outcomes.forEach(outcome -> decisionsCounter(kind, outcome)));
    rewardFeaturesCounter(REWARD_FEATURES_COMPUTED);
    rewardFeaturesCounter(REWARD_FEATURES_FAILED);
    rewardModelsCounter(true);
    rewardModelsCounter(false);
  }

  /** Ratings were committed: one count and one distribution value per rated variant, and the sample total. */
  public void onRatings(RatingsRecorded event) {
    for (RatedOption rated : event.ratings()) {
      if (rated.rating() < 1 || rated.rating() > 5) {
        throw new IllegalArgumentException("rating must be in [1, 5], got " + rated.rating());
      }
    }
    if (event.samplesCollected() < 0) {
      throw new IllegalArgumentException("samples_collected must not be negative");
    }
    String mode = TagValues.mode(event.mode());
    for (RatedOption rated : event.ratings()) {
      String api = TagValues.api(rated.parameters() == null ? null : rated.parameters().api());
      ratingsCounter(api, mode, rated.rating()).increment();
      ratingSummary(api, mode).record(rated.rating());
    }
    if (event.samplesCollected() > 0) {
      setGauge(SAMPLES_COLLECTED, mode, event.samplesCollected(), false);
    }
  }

  /** An experiment was stored with its variants: counted by mode and by where its parameters came from. */
  public void onExperiment(ExperimentCreated event) {
    if (event.optionsGenerated() < 0 || event.optionsFailed() < 0) {
      throw new IllegalArgumentException("options_generated and options_failed must not be negative");
    }
    String mode = TagValues.mode(event.mode());
    experimentsCounter(mode, TagValues.strategy(event.strategy())).increment();
    optionsGeneratedCounter(mode).increment(event.optionsGenerated());
    optionsFailedCounter(mode).increment(event.optionsFailed());
  }

  /** One generation attempt ended: its duration by provider and outcome, and the kind of error if it failed. */
  public void onGeneration(GenerationFinished event) {
    if (event.durationMs() < 0) {
      throw new IllegalArgumentException("duration_ms must not be negative, got " + event.durationMs());
    }
    String provider = state.admitProvider(TagValues.providerName(event.provider()));
    String outcome = TagValues.outcome(event.outcome());
    Timer.builder(GENERATION)
      .description("Time to render one variant, by provider and outcome")
      .tags("provider", provider, "outcome", outcome)
      .serviceLevelObjectives(GENERATION_BUCKETS)
      .register(registry)
      .record(Duration.ofMillis(event.durationMs()));
    if (!GenerationFinished.SUCCESS.equals(outcome)) {
      Counter.builder(GENERATION_ERRORS)
        .description("Failed generation attempts, by provider and kind of error")
        .tags("provider", provider, "error_kind", TagValues.errorKind(event.errorKind()))
        .register(registry)
        .increment();
    }
  }

  /** A study's model changed: sample count, best posterior-mean rating, convergence, phase 1. */
  public void onStudy(StudyStatus status) {
    applyStudy(status, false);
  }

  /**
   * A study status read at start-up: fills in only the gauges that have no value yet, so it never
   * overwrites what a newer event already reported.
   */
  public void seedStudy(StudyStatus status) {
    applyStudy(status, true);
  }

  private void applyStudy(StudyStatus status, boolean onlyWhereUnknown) {
    if (status.samples() < 0) {
      throw new IllegalArgumentException("samples must not be negative");
    }
    if (!(status.convergence() >= 0 && status.convergence() <= 1)) {
      throw new IllegalArgumentException("convergence must be in [0, 1], got " + status.convergence());
    }
    if (status.bestRating() != null && !Double.isFinite(status.bestRating())) {
      throw new IllegalArgumentException("best_rating must be a finite number");
    }
    String mode = TagValues.mode(status.study());
    setGauge(SAMPLES_COLLECTED, mode, status.samples(), onlyWhereUnknown);
    if (status.bestRating() != null) {
      setGauge(BEST_RATING, mode, status.bestRating(), onlyWhereUnknown);
    }
    setGauge(STUDY_CONVERGENCE, mode, status.convergence(), onlyWhereUnknown);
    setGauge(PHASE1_COMPLETE, mode, status.phase1Complete() ? 1 : 0, onlyWhereUnknown);
  }

  /**
   * The circuit breaker of an external image provider changed state: the provider's gauge reads the state's
   * position in {@link ProviderCircuitChanged#STATES} (0 closed, 1 half open, 2 open). The provider name is
   * admitted like a generation provider's; an unknown state is refused.
   */
  public void onCircuit(ProviderCircuitChanged event) {
    int value = event.state() == null ? -1 : ProviderCircuitChanged.STATES.indexOf(event.state());
    if (value < 0) {
      throw new IllegalArgumentException("state must be one of " + ProviderCircuitChanged.STATES + ", got "
        + event.state());
    }
    String provider = state.admitProvider(TagValues.providerName(event.provider()));
    setGauge(PROVIDER_CIRCUIT_STATE, Tags.of("provider", provider), value, false);
  }

  /** The optimizer could not answer for {@code study} and random parameters were used instead. */
  public void onFallback(String study) {
    fallbacksCounter(TagValues.mode(study)).increment();
  }

  /**
   * A prompt evolution ended: counted by what started it, how it ended and the LLM provider. The provider
   * name is admitted like a generation provider's; versions and the reason are never tags.
   */
  public void onEvolution(EvolutionFinished event) {
    Counter.builder(EVOLUTIONS)
      .description("Prompt evolutions that ended, by trigger, status (succeeded, refused, failed) and LLM provider")
      .tags("trigger", TagValues.evolutionTrigger(event.trigger()), "status", TagValues.evolutionStatus(event.status()),
        "provider", state.admitProvider(TagValues.providerName(event.provider())))
      .register(registry)
      .increment();
  }

  /** A decision about the current prompt version was recorded: counted by kind and outcome. */
  public void onPromptDecision(PromptDecided event) {
    decisionsCounter(TagValues.decisionKind(event.kind()), TagValues.decisionOutcome(event.outcome())).increment();
  }

  /** A step of the reward model's feature backfill ended: what it computed, what it could not, what still waits. */
  public void onRewardProgress(RewardProgress progress) {
    if (progress.computed() < 0 || progress.failed() < 0 || progress.pending() < 0) {
      throw new IllegalArgumentException("reward progress counts must not be negative");
    }
    rewardFeaturesCounter(REWARD_FEATURES_COMPUTED).increment(progress.computed());
    rewardFeaturesCounter(REWARD_FEATURES_FAILED).increment(progress.failed());
    setGauge(REWARD_FEATURES_PENDING, Tags.empty(), progress.pending(), false);
  }

  /**
   * A reward model was trained: counted by whether it is used; a model judged on held-out ratings sets the
   * figures' gauges (one that could not be judged, too little data, leaves them as they were).
   */
  public void onRewardModel(RewardModelSummary model) {
    Double[] shares = {model.withinHalfStar(), model.pairwiseAccuracy()};
    for (Double share : shares) {
      if (share != null && !(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("a share must be in [0, 1], got " + share);
      }
    }
    if (model.mae() != null && !(model.mae() >= 0 && Double.isFinite(model.mae()))) {
      throw new IllegalArgumentException("mae must be a finite number >= 0, got " + model.mae());
    }
    rewardModelsCounter(model.active()).increment();
    if (model.mae() != null) {
      setGauge(REWARD_MODEL_MAE, Tags.empty(), model.mae(), false);
    }
    if (model.withinHalfStar() != null) {
      setGauge(REWARD_MODEL_WITHIN_HALF_STAR, Tags.empty(), model.withinHalfStar(), false);
    }
    if (model.pairwiseAccuracy() != null) {
      setGauge(REWARD_MODEL_PAIRWISE_ACCURACY, Tags.empty(), model.pairwiseAccuracy(), false);
    }
  }

  /** An event of kind {@code event} (a name chosen by the caller from a fixed list) could not be counted. */
  public void onRejectedEvent(String event) {
    Counter.builder(EVENTS_REJECTED)
      .description("Bus events the metrics verticle could not count (malformed or out of range)")
      .tag("event", event)
      .register(registry)
      .increment();
  }

  private Counter ratingsCounter(String api, String mode, int rating) {
    return Counter.builder(RATINGS)
      .description("Ratings recorded, by image API, mode and star value")
      .tags("api", api, "mode", mode, "rating", TagValues.rating(rating))
      .register(registry);
  }

  private DistributionSummary ratingSummary(String api, String mode) {
    return DistributionSummary.builder(RATING)
      .description("Distribution of ratings (1 to 5 stars), by image API and mode")
      .tags("api", api, "mode", mode)
      .serviceLevelObjectives(RATING_BUCKETS)
      .register(registry);
  }

  private Counter experimentsCounter(String mode, String strategy) {
    return Counter.builder(EXPERIMENTS)
      .description("Experiments created, by mode and by where the optimizer's suggestions came from")
      .tags("mode", mode, "strategy", strategy)
      .register(registry);
  }

  private Counter optionsGeneratedCounter(String mode) {
    return Counter.builder(OPTIONS_GENERATED)
      .description("Variants generated successfully for experiments, by mode")
      .tag("mode", mode)
      .register(registry);
  }

  private Counter optionsFailedCounter(String mode) {
    return Counter.builder(OPTIONS_FAILED)
      .description("Variants of experiments whose generation failed, by mode")
      .tag("mode", mode)
      .register(registry);
  }

  private Counter fallbacksCounter(String mode) {
    return Counter.builder(OPTIMIZER_FALLBACKS)
      .description("Times the optimizer could not answer and random parameters were used")
      .tag("mode", mode)
      .register(registry);
  }

  private Counter decisionsCounter(String kind, String outcome) {
    return Counter.builder(PROMPT_DECISIONS)
      .description("Decisions about the current prompt version (A/B verdicts, promotions, rollbacks, syncs), by kind"
        + " and outcome")
      .tags("kind", kind, "outcome", outcome)
      .register(registry);
  }

  private Counter rewardFeaturesCounter(String name) {
    return Counter.builder(name)
      .description(REWARD_FEATURES_COMPUTED.equals(name)
        ? "Rated variants whose reward-model features were computed"
        : "Rated variants whose images could not be read for their features (tried again on the next pass)")
      .register(registry);
  }

  private Counter rewardModelsCounter(boolean active) {
    return Counter.builder(REWARD_MODELS_TRAINED)
      .description("Reward models trained, by outcome: active (used for predictions) or not_active")
      .tag("outcome", active ? "active" : "not_active")
      .register(registry);
  }

  private void setGauge(GaugeSpec gauge, String mode, double value, boolean onlyWhereUnknown) {
    setGauge(gauge, Tags.of("mode", mode), value, onlyWhereUnknown);
  }

  private void setGauge(GaugeSpec gauge, Tags tags, double value, boolean onlyWhereUnknown) {
    Consumer<MeterState.GaugeValue> register = holder -> Gauge
      .builder(gauge.name(), holder, MeterState.GaugeValue::get)
      .description(gauge.description())
      .tags(tags)
      .strongReference(true)
      .register(registry);
    if (onlyWhereUnknown) {
      state.setGaugeIfAbsent(gauge.name(), tags, value, register);
    } else {
      state.setGauge(gauge.name(), tags, value, register);
    }
  }

  /** A gauge (one series per mode, or per provider): its meter name and help text. */
  record GaugeSpec(String name, String description) {
  }
}
