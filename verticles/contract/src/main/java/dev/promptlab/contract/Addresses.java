package dev.promptlab.contract;

/**
 * Every event-bus address used by PromptLab, in one place.
 *
 * <p>Request/reply addresses (a caller expects exactly one answer, or a failure carrying a
 * {@link FailureCodes} code) are named {@code promptlab.<verticle>.<action>}. Published events (any
 * number of listeners, no answer) live under {@code promptlab.events.*}.
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
  /** {@code {"study": "...", "complete": true}} → {@link StudyStatus}: admin override of phase 1. */
  public static final String OPTIMIZER_PHASE1_OVERRIDE = "promptlab.optimizer.phase1.override";

  // ---- generation: request/reply ----
  /** {@link StoreImageRequest} (original upload bytes in the body) → {@link StoredImage}. */
  public static final String GENERATION_STORE_ORIGINAL = "promptlab.generation.original.store";
  /**
   * {@link GenerateRequest} → {@link GeneratedImage}: the stored enhanced variant, its provider and the parameters
   * it was rendered with (the requested ones at the provider's precision).
   */
  public static final String GENERATION_GENERATE = "promptlab.generation.generate";
  /** {@code {"image_id": n}} → image bytes as a {@code Buffer}, content type in the {@code content-type} header. */
  public static final String GENERATION_IMAGE_READ = "promptlab.generation.image.read";

  // ---- evolution: request/reply ----
  /** {@code {"mode": "..."}} → {@link PromptAssignment}: the prompt version to use for the next sample. */
  public static final String EVOLUTION_ASSIGN = "promptlab.evolution.assign";
  /** {@code {}} → JSON status of the prompt store (current version, last evolution, next evolution sample). */
  public static final String EVOLUTION_STATUS = "promptlab.evolution.status";
  /** {@code {}} → JSON array of versions with their performance. */
  public static final String EVOLUTION_VERSIONS = "promptlab.evolution.versions";
  /** {@code {"version": "vX.Y.Z"}} → the version document. */
  public static final String EVOLUTION_VERSION_SHOW = "promptlab.evolution.version.show";
  /**
   * {@code {"requested_by": "admin@..."}} → the evolution record ({@code id, status, trigger, parent_version,
   * candidate_version, reason, ab_test_id ...}) once it has finished: a manual evolution. CONFLICT when one is
   * already running or an A/B test is open.
   */
  public static final String EVOLUTION_EVOLVE = "promptlab.evolution.evolve";
  /** {@code {"limit": n}} → {@code {"evolutions": [...]}}: recent evolutions, newest first, with status and reason. */
  public static final String EVOLUTION_HISTORY = "promptlab.evolution.history";
  /** {@code {"from": "vX.Y.Z", "to": "vX.Y.Z"}} → what changed between two versions (phrases added/removed, settings). */
  public static final String EVOLUTION_DIFF = "promptlab.evolution.diff";
  /**
   * {@code {"version": "vX.Y.Z", "requested_by": "...", "reason": "..."}} → {@code {"current_version",
   * "previous_version", "decision"}}: make a version current (admin); resolves an A/B test awaiting review.
   */
  public static final String EVOLUTION_PROMOTE = "promptlab.evolution.promote";
  /**
   * {@code {"version": "vX.Y.Z" (optional), "requested_by": "..."}} → same shape as promote: restore an earlier
   * version, by default the one that was current before the current one.
   */
  public static final String EVOLUTION_ROLLBACK = "promptlab.evolution.rollback";
  /** {@code {"status": "running" (optional), "limit": n}} → {@code {"ab_tests": [...]}} with state, tallies and result. */
  public static final String EVOLUTION_AB_TESTS = "promptlab.evolution.abtests";
  /** {@code {"limit": n}} → {@code {"decisions": [...]}}: every decision about the current version, with statistics. */
  public static final String EVOLUTION_DECISIONS = "promptlab.evolution.decisions";

  // ---- launcher: request/reply ----
  /**
   * {@code {"verticle": "optimizer"}} → {@code {"verticle", "deployment_id", "redeployed_at"}}: undeploy one
   * verticle and deploy it again with fresh configuration (admin only).
   */
  public static final String LAUNCHER_REDEPLOY = "promptlab.launcher.redeploy";
  /** {@code {}} → {@code {"verticles": {"name": "deployment id", ...}}}: what is deployed now. */
  public static final String LAUNCHER_DEPLOYMENTS = "promptlab.launcher.deployments";

  // ---- every verticle answers a ping, used by /ready ----
  /** Prefix of the per-verticle ping address: {@code promptlab.<name>.ping} answers {@code {"ok": true}}. */
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
  /** {@code {"study": "...", "reason": "..."}}: the optimizer could not answer and random parameters were used. */
  public static final String EVENT_OPTIMIZER_FALLBACK = "promptlab.events.optimizer.fallback";
  /** {@code {"id", "trigger", "status", "provider", "parent_version", "candidate_version", "reason"}}: an evolution ended. */
  public static final String EVENT_EVOLUTION_FINISHED = "promptlab.events.evolution.finished";
  /** {@code {"id", "kind", "outcome", "from_version", "to_version", "decided_by"}}: a prompt decision was recorded. */
  public static final String EVENT_PROMPT_DECIDED = "promptlab.events.prompt.decided";
}
