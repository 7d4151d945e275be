package dev.promptlab.contract;

/**
 * Every event-bus address used by PromptLab, in one place.
 *
 * <p>Request/reply addresses (a caller expects exactly one answer, or a failure carrying a
 * {@link FailureCodes} code) are named {@code promptlab.<verticle>.<action>}. Published events (any
 * number of listeners, no answer) live under {@code promptlab.events.*}. Each address names the records of its
 * request and reply (or its event); the sender builds the message with {@code toJson()}, the handler reads it with
 * {@code fromJson}, which refuses a malformed message with an {@link IllegalArgumentException} that
 * {@link BusFailure#reply} answers with {@link FailureCodes#INVALID_REQUEST}.
 */
public final class Addresses {

  private Addresses() {
  }

  // ---- optimizer: request/reply ----
  /** {@link SuggestRequest} → {@link SuggestReply}: the next generation parameters of a study. */
  public static final String OPTIMIZER_SUGGEST = "promptlab.optimizer.suggest";
  /**
   * {@link StatusRequest} → {@link StudyStatus}. The optimizer learns ratings by itself, from
   * {@link #EVENT_RATINGS_RECORDED} and the view {@code rated_variants}; a request naming a rating id answers
   * once the study has learnt every rating up to it.
   */
  public static final String OPTIMIZER_STATUS = "promptlab.optimizer.status";
  /** {@link Phase1Override} → {@link StudyStatus}: admin override of phase 1. */
  public static final String OPTIMIZER_PHASE1_OVERRIDE = "promptlab.optimizer.phase1.override";

  // ---- generation: request/reply ----
  /** {@link StoreImageRequest} (original upload bytes in the body) → {@link StoredImage}. */
  public static final String GENERATION_STORE_ORIGINAL = "promptlab.generation.original.store";
  /**
   * {@link GenerateRequest} → {@link GeneratedImage}: the stored enhanced variant, its provider and the parameters
   * it was rendered with (the requested ones at the provider's precision).
   */
  public static final String GENERATION_GENERATE = "promptlab.generation.generate";
  /**
   * {@link ImageReadRequest} → image bytes as a {@code Buffer}, content type in the
   * {@link ImageReadRequest#CONTENT_TYPE_HEADER} delivery header.
   */
  public static final String GENERATION_IMAGE_READ = "promptlab.generation.image.read";
  /**
   * {@link StoreImportedRequest} → {@link StoredImportedPair}: an imported original and its enhanced variant, both checked before either is stored. A refused image fails the request with its code and a
   * message that names the image ({@link StoreImportedRequest#refusedImage}).
   */
  public static final String GENERATION_STORE_IMPORTED = "promptlab.generation.imported.store";

  // ---- evolution: request/reply ----
  /** {@link AssignRequest} → {@link AssignReply}: the prompt version of each of the next samples. */
  public static final String EVOLUTION_ASSIGN = "promptlab.evolution.assign";
  /**
   * {@link NoArguments} → {@link EvolutionStatus}: the current version, the trigger checkpoint, the running
   * evolution ({@link EvolutionRun}) and the open A/B test ({@link AbTest}), each or null.
   */
  public static final String EVOLUTION_STATUS = "promptlab.evolution.status";
  /**
   * {@link ProductionParametersRequest} → {@link ProductionParameters}: the current prompt version and the parameters
   * production uses for a mode and API (learned by the mode's study once written into the version, else the
   * version's defaults).
   */
  public static final String EVOLUTION_PRODUCTION_PARAMETERS = "promptlab.evolution.production.parameters";
  /** {@link NoArguments} → {@link PromptVersions}: version summaries with their performance, newest first. */
  public static final String EVOLUTION_VERSIONS = "promptlab.evolution.versions";
  /**
   * {@link VersionRequest} → {@link PromptVersionDocument}: the version as the prompt store keeps it, with its live
   * performance.
   */
  public static final String EVOLUTION_VERSION_SHOW = "promptlab.evolution.version.show";
  /**
   * {@link EvolveRequest} → {@link EvolutionRun} once it has finished: a manual evolution. CONFLICT when one is
   * already running or an A/B test is open.
   */
  public static final String EVOLUTION_EVOLVE = "promptlab.evolution.evolve";
  /** {@link ListRequest} → {@link EvolutionRuns}: recent evolutions, newest first. */
  public static final String EVOLUTION_HISTORY = "promptlab.evolution.history";
  /** {@link DiffRequest} → {@link VersionDiff}: what changed between two versions (phrases, settings). */
  public static final String EVOLUTION_DIFF = "promptlab.evolution.diff";
  /**
   * {@link PromoteRequest} → {@link DecisionReply}: make a version current (admin); resolves an A/B test awaiting
   * review.
   */
  public static final String EVOLUTION_PROMOTE = "promptlab.evolution.promote";
  /**
   * {@link PromoteRequest} (read by {@link PromoteRequest#rollback}: the version may be absent) →
   * {@link DecisionReply}: restore an earlier version, by default the one that was current before the current one.
   */
  public static final String EVOLUTION_ROLLBACK = "promptlab.evolution.rollback";
  /** {@link AbTestsRequest} → {@link AbTests}: each with its state, tallies and result, newest first. */
  public static final String EVOLUTION_AB_TESTS = "promptlab.evolution.abtests";
  /** {@link ListRequest} → {@link PromptDecisions}: recorded decisions, newest first. */
  public static final String EVOLUTION_DECISIONS = "promptlab.evolution.decisions";

  // ---- reward: request/reply ----
  /** {@link NoArguments} → {@link RewardStatus}: phase 2 (the reward model) as the status shows it. */
  public static final String REWARD_STATUS = "promptlab.reward.status";
  /** {@link NoArguments} → {@link RewardModels}: every trained model with its held-out figures, newest first. */
  public static final String REWARD_MODELS = "promptlab.reward.models";
  /** {@link RetrainRequest} → {@link RewardModelSummary}: trains a model now, once every rated image has features. */
  public static final String REWARD_RETRAIN = "promptlab.reward.retrain";
  /**
   * {@link PredictRatingRequest} → {@link PredictedRating}: the newest model's rating of a stored variant.
   * NOT_FOUND while no model exists or an image is unknown.
   */
  public static final String REWARD_PREDICT = "promptlab.reward.predict";
  /** Image bytes as a {@code Buffer} → {@link ImageFeatures}; UNSUPPORTED_MEDIA when they are not an image. */
  public static final String REWARD_EXTRACT = "promptlab.reward.extract";

  // ---- textopt: request/reply ----
  /**
   * {@link DatasetUpload} → {@link DatasetReport}: a JSON Lines or CSV file validated row by row, split into training
   * and evaluation rows and stored. INVALID_REQUEST when the file cannot be read as a dataset or no row is usable (the
   * report in the message), TOO_LARGE beyond the byte or row limit.
   */
  public static final String TEXTOPT_DATASET_CREATE = "promptlab.textopt.dataset.create";
  /** {@link ListRequest} → {@link Datasets}: stored datasets, newest first. */
  public static final String TEXTOPT_DATASETS = "promptlab.textopt.datasets";
  /** {@link RecordId} → {@link DatasetReport}; NOT_FOUND for an unknown id. */
  public static final String TEXTOPT_DATASET_SHOW = "promptlab.textopt.dataset.show";
  /** {@link TextPromptDraft} (no id) → {@link TextPromptSaved}: a new prompt at version 1; CONFLICT for a used name. */
  public static final String TEXTOPT_PROMPT_CREATE = "promptlab.textopt.prompt.create";
  /**
   * {@link TextPromptDraft} (with its id) → {@link TextPromptSaved}: a new version of the prompt, never a rewrite of
   * one; an unchanged state adds none. NOT_FOUND for an unknown or deleted prompt, CONFLICT for a used name.
   */
  public static final String TEXTOPT_PROMPT_UPDATE = "promptlab.textopt.prompt.update";
  /** {@link RecordId} → {@link TextPromptDeleted}: the prompt leaves the lists; its versions stay stored. */
  public static final String TEXTOPT_PROMPT_DELETE = "promptlab.textopt.prompt.delete";
  /** {@link ListRequest} → {@link TextPrompts}: prompts in use, most recently changed first. */
  public static final String TEXTOPT_PROMPTS = "promptlab.textopt.prompts";
  /** {@link RecordId} → {@link TextPrompt}: the prompt with its current version; NOT_FOUND when unknown or deleted. */
  public static final String TEXTOPT_PROMPT_SHOW = "promptlab.textopt.prompt.show";
  /** {@link RecordId} → {@link TextPromptVersions}: every version, newest first. */
  public static final String TEXTOPT_PROMPT_VERSIONS = "promptlab.textopt.prompt.versions";
  /**
   * {@link TextRunRequest} → {@link TextRunCreated}: a text-prompt optimisation run, queued and started when a slot is
   * free. NOT_FOUND for an unknown dataset or prompt, INVALID_REQUEST for an unknown metric or bad settings,
   * PROVIDER_UNAVAILABLE when no task or optimizer model is configured (the message names the keys to set).
   */
  public static final String TEXTOPT_RUN_CREATE = "promptlab.textopt.run.create";
  /** {@link ListRequest} → {@link TextRuns}: runs, newest first, without their iterations. */
  public static final String TEXTOPT_RUNS = "promptlab.textopt.runs";
  /** {@link RecordId} → {@link TextRun}: one run with its iterations; NOT_FOUND for an unknown id. */
  public static final String TEXTOPT_RUN_SHOW = "promptlab.textopt.run.show";
  /**
   * {@link RecordId} → {@link TextRun}: cancels a queued or running run (a running one stops before its next model
   * call). CONFLICT when the run has already ended.
   */
  public static final String TEXTOPT_RUN_CANCEL = "promptlab.textopt.run.cancel";
  /**
   * {@link RecordId} → {@link TextRunPromoted}: makes the run's best prompt version its prompt's current one.
   * CONFLICT while the run has no best version or its prompt was deleted.
   */
  public static final String TEXTOPT_RUN_PROMOTE = "promptlab.textopt.run.promote";

  // ---- launcher: request/reply ----
  /**
   * {@link RedeployRequest} → {@link Redeployed}: undeploy one verticle and deploy it again with fresh
   * configuration (admin only).
   */
  public static final String LAUNCHER_REDEPLOY = "promptlab.launcher.redeploy";
  /** {@link NoArguments} → {@link Deployments}: what is deployed now. */
  public static final String LAUNCHER_DEPLOYMENTS = "promptlab.launcher.deployments";
  /**
   * {@code {}} → {@link ClusterStatus}: the cluster as the launcher of the node asked sees it (its members and who
   * holds each singleton). Answered on the asking node only, and only in cluster mode.
   */
  public static final String LAUNCHER_CLUSTER = "promptlab.launcher.cluster";

  // ---- every verticle answers a ping, used by /ready ----
  /** Per-verticle ping {@code promptlab.<name>.ping}: {@link NoArguments} → {@link PingReply}. */
  private static final String PING_PREFIX = "promptlab.";
  private static final String PING_SUFFIX = ".ping";

  /** The ping address of the verticle called {@code name} (http, generation, optimizer, evolution, metrics). */
  public static String ping(String name) {
    return PING_PREFIX + name + PING_SUFFIX;
  }

  // ---- published events ----
  /** {@link ExperimentCreated}: a new experiment with its options exists. */
  public static final String EVENT_EXPERIMENT_CREATED = "promptlab.events.experiment.created";
  /** {@link RatingsRecorded}: ratings were committed (published right after the commit). */
  public static final String EVENT_RATINGS_RECORDED = "promptlab.events.ratings.recorded";
  /** {@link GenerationFinished}: one generation attempt ended (success or failure). */
  public static final String EVENT_GENERATION_FINISHED = "promptlab.events.generation.finished";
  /** {@link ProviderCircuitChanged}: the circuit breaker of an external image provider changed state. */
  public static final String EVENT_PROVIDER_CIRCUIT = "promptlab.events.provider.circuit";
  /** {@link StudyStatus}: a study's model changed (new observations, phase change). */
  public static final String EVENT_STUDY_UPDATED = "promptlab.events.study.updated";
  /** {@link OptimizerFallback}: the optimizer could not answer and random parameters were used. */
  public static final String EVENT_OPTIMIZER_FALLBACK = "promptlab.events.optimizer.fallback";
  /** {@link EvolutionFinished}: an evolution ended. */
  public static final String EVENT_EVOLUTION_FINISHED = "promptlab.events.evolution.finished";
  /** {@link PromptDecided}: a prompt decision was recorded. */
  public static final String EVENT_PROMPT_DECIDED = "promptlab.events.prompt.decided";
  /** {@link RewardProgress}: a step of the reward verticle's feature backfill ended. */
  public static final String EVENT_REWARD_PROGRESS = "promptlab.events.reward.progress";
  /** {@link RewardModelSummary}: a reward model was trained and stored (used or not). */
  public static final String EVENT_REWARD_MODEL_TRAINED = "promptlab.events.reward.model.trained";
  /** {@link TextRunChanged}: a text-prompt optimisation run changed status or made progress. */
  public static final String EVENT_TEXTOPT_RUN_CHANGED = "promptlab.events.textopt.run.changed";
  /** {@link TextoptModelCalled}: a text-prompt optimisation run asked its task or optimizer model once. */
  public static final String EVENT_TEXTOPT_MODEL_CALLED = "promptlab.events.textopt.model.called";
}
