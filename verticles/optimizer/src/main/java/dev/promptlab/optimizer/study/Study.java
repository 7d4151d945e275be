package dev.promptlab.optimizer.study;

import dev.promptlab.contract.BestSetting;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.SuggestReply;
import dev.promptlab.optimizer.model.BayesianOptimizer;
import dev.promptlab.optimizer.model.ExpectedImprovement;
import dev.promptlab.optimizer.model.KernelHyperparameters;
import dev.promptlab.optimizer.model.ModelFailure;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.optimizer.model.SearchSpace;
import dev.promptlab.optimizer.model.SpaceFillingDesign;
import dev.promptlab.optimizer.model.Surrogate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One optimizer study (one per training mode): its Bayesian optimiser over the generation parameters,
 * the points suggested but not rated yet, and phase 1.
 *
 * <p>Status figures:
 * <ul>
 *   <li>{@code best_rating}: posterior mean at the observed point where it is highest (clamped to 1-5),
 *       so one lucky vote does not count as the best; with its 90 % credible interval and, apart, the
 *       plain average of the ratings given near that setting ({@link IncumbentEvidence}).</li>
 *   <li>{@code convergence} = (1 - max over the space of P(f(x) > best + improvement step)) x
 *       min(1, ratings near the best / {@link #MIN_SUPPORT}), 0 during the initial design: the model's
 *       confidence that no untried setting beats the best by a noticeable margin, discounted while the
 *       best rests on fewer than {@link #MIN_SUPPORT} ratings.</li>
 *   <li>{@code estimated_trials_remaining}: 0 once phase 1 is over; otherwise the expected number of
 *       ratings until one reaches the target, 1 / max P(f(x) >= target), capped by the samples left.</li>
 * </ul>
 * Predicted ratings ({@link #usePredicted}) join the model as down-weighted observations but are never samples: not
 * in {@code samples}, the initial design, the phase-1 count or the ratings near the best.
 * Not thread-safe: the verticle runs every call for one study in order.
 */
public final class Study {

  public static final String REASON_SAMPLES = "samples";
  public static final String REASON_RATING = "rating";
  public static final String REASON_OVERRIDE = "override";

  /** Suggested parameters and where they came from ({@link SuggestReply} strategy names). */
  public record Suggestion(List<GenerationParameters> parameters, String strategy) {
  }

  /** A suggestion handed out whose ratings have not arrived, and until when it keeps new suggestions away. */
  public record PendingSuggestion(GenerationParameters parameters, long expiresAtMs) {
  }

  /** Ratings near the best setting needed before the data can end phase 1 or count as converged. */
  public static final int MIN_SUPPORT = 3;

  private static final int PROGRESS_CANDIDATES = 1024;

  private final String name;
  private final StudyLimits limits;
  private final BayesianOptimizer optimizer;
  private final PendingPoints pending = new PendingPoints();
  /** Every rating learnt, in the model's observation order: the raw ratings the corrections start from. */
  private final List<RatedSample> rated = new ArrayList<>();
  private Map<String, Double> effects = Map.of();
  /** Predicted ratings offered to the study, oldest first; the ones learnt are chosen by {@link #applyPredicted}. */
  private List<PredictedSample> predictedSamples = List.of();
  private PredictionWeighting weighting = PredictionWeighting.defaults();
  private String phase1Reason;
  private long batches;

  public Study(String name, OptimizerSettings settings, long seed, StudyLimits limits) {
    this.name = name;
    this.limits = limits;
    // Each study gets its own stream, so the two modes do not mirror each other's design.
    this.optimizer = new BayesianOptimizer(StudySpace.SPACE, settings, seed * 31 + name.hashCode());
  }

  public String name() {
    return name;
  }

  public int samples() {
    return optimizer.observations();
  }

  /** Restores the warm state saved by an earlier run (call before the first suggestion). */
  public void restore(ModelState state, String phase1Reason) {
    if (state != null) {
      if (state.theta() != null) {
        try {
          optimizer.restoreWarmStart(new KernelHyperparameters(state.theta()));
        } catch (IllegalArgumentException ignored) {
          // A damaged warm start only costs a cold fit.
        }
      }
      optimizer.restoreDesignIssued(Math.max(state.designIssued(), optimizer.distinctObservations()));
    } else {
      // Without a stored count, each distinct setting rated stands for one design point handed out (an A/B pair's two
      // ratings share one), so the design resumes where it stopped.
      optimizer.restoreDesignIssued(optimizer.distinctObservations());
    }
    this.phase1Reason = phase1Reason;
  }

  public ModelState modelState() {
    KernelHyperparameters warm = optimizer.warmStart();
    return new ModelState(warm == null ? null : warm.theta(), optimizer.designIssued());
  }

  /** Teaches the model ratings whose prompt version is unknown (taken as they are). */
  public void observe(List<Observation> observations) {
    observeRated(observations.stream().map(RatedSample::unversioned).toList());
  }

  /**
   * Teaches the model ratings that are already stored; each one counts, repeats included. The model learns each
   * rating less its prompt version's effect ({@link PromptEffects}); when new A/B pairs change an effect, the
   * earlier ratings of that version are corrected too.
   */
  public void observeRated(List<RatedSample> samples) {
    for (RatedSample sample : samples) {
      Observation o = sample.observation();
      double[] natural = StudySpace.toNatural(o.parameters());
      rated.add(sample);
      optimizer.observe(natural, o.rating() - effectOf(sample.promptVersion()));
      pending.remove(natural);
    }
    PromptEffects.Measured measured = PromptEffects.measure(rated);
    Map<String, Double> now = measured.effects();
    if (!now.equals(effects)) {
      effects = now;
      double[] corrected = new double[rated.size()];
      for (int i = 0; i < corrected.length; i++) {
        RatedSample r = rated.get(i);
        corrected[i] = r.observation().rating() - effectOf(r.promptVersion());
      }
      optimizer.revalue(corrected);
    }
    // The pairs measure the rating noise directly; a fit on a few dozen ratings tends to explain lucky votes as narrow
    // peaks instead. Without pairs (no A/B test yet) the floor is 0 and the model is as before.
    optimizer.noiseFloor(measured.ratingNoise().orElse(0.0));
    if (!predictedSamples.isEmpty()) {
      applyPredicted();
    }
  }

  /**
   * Replaces the predicted ratings the model may learn beside the ratings ({@code samples} oldest first), weighted by
   * {@code weighting}; an empty list removes them. Which of them are learnt: see {@link #applyPredicted}.
   */
  public void usePredicted(List<PredictedSample> samples, PredictionWeighting weighting) {
    this.predictedSamples = List.copyOf(samples);
    this.weighting = weighting;
    applyPredicted();
  }

  /** How many predicted ratings the model learns now (never counted as samples). */
  public int predictedInUse() {
    return optimizer.predicted().size();
  }

  /** Hands the model the predictions {@link PredictionWeighting#choose} keeps, corrected like ratings. */
  private void applyPredicted() {
    optimizer.usePredicted(weighting.choose(predictedSamples, optimizer.encodedInputs(), this::effectOf),
      weighting.noiseFactor());
  }

  private double effectOf(String version) {
    return version == null ? 0.0 : effects.getOrDefault(version, 0.0);
  }

  /** The floor under the model's noise, in stars: the rating noise the A/B pairs measure, 0 before they can. */
  double noiseFloor() {
    return optimizer.noiseFloor();
  }

  /** The measured effect of each prompt version against the reference version, in stars (see {@link PromptEffects}). */
  public Map<String, Double> promptEffects() {
    return Map.copyOf(effects);
  }

  /**
   * {@code count} distinct parameter sets, away from suggestions still waiting for their ratings.
   * Throws {@link ModelFailure} when the model cannot answer.
   */
  public Suggestion suggest(int count, long nowMs) {
    if (optimizer.observations() > limits.maxModelObservations()) {
      throw new ModelFailure("the study has " + optimizer.observations() + " ratings, above the model limit of "
        + limits.maxModelObservations());
    }
    pending.expire(nowMs);
    int exploit = exploiting(count);
    BayesianOptimizer.Batch batch = optimizer.suggest(count, exploit, spreading(count, exploit), pending.points());
    batches++;
    for (double[] point : batch.points()) {
      pending.add(point, nowMs + limits.pendingTtlMs());
    }
    List<GenerationParameters> parameters = batch.points().stream().map(StudySpace::toParameters).toList();
    return new Suggestion(parameters, batch.source() == BayesianOptimizer.Source.INITIAL_DESIGN
      ? SuggestReply.INITIAL_DESIGN : modelStrategy());
  }

  /** The strategy of the model's suggestions: its acquisition. */
  private String modelStrategy() {
    return optimizer.settings().acquisition() == OptimizerSettings.Acquisition.UCB
      ? SuggestReply.GP_UCB : SuggestReply.GP_EI;
  }

  /**
   * How many of a batch of {@code count} re-rate what the model believes best (the rest explore: by the acquisition,
   * one of them spread while {@link #spreading} says so). During phase 1 all explore until its last
   * {@code exploit_last} ratings, which all exploit: phase 1 hands over the best setting it can vouch for. After
   * phase 1 the study mostly exploits: one batch in {@code explore_every} keeps one exploring point, so a better
   * region can still be found. (Exploiting half of every batch from the start was tried: it found good settings less
   * often.)
   */
  int exploiting(int count) {
    if (phase1Reason != null) {
      return count >= 2 && batches % limits.exploreEvery() == 0 ? count - 1 : count;
    }
    return optimizer.observations() >= limits.maxSamples() - limits.exploitLast() ? count : 0;
  }

  /**
   * How many of a batch of {@code count}, {@code exploit} of which exploit, go where nothing has been rated nearby:
   * one, when at least two points explore and the best setting's estimate is still below {@code spread_below} stars.
   * Until the ratings rise above the floor the model has little but noise to go on, and the acquisition alone
   * tends to return to the faces of the box; the spread point goes where a rating would lower the model's uncertainty
   * over the whole box the most, covering the holes a narrow peak can hide in, while the other point still follows the
   * model (see the module README).
   */
  int spreading(int count, int exploit) {
    if (limits.spreadBelow() <= 0 || count - exploit < 2 || optimizer.inInitialDesign()) {
      return 0;
    }
    return optimizer.surrogate().incumbentMean() < limits.spreadBelow() ? 1 : 0;
  }

  /** The suggestions waiting for their ratings, oldest first, to be stored ({@link #restorePending}). */
  public List<PendingSuggestion> pending() {
    return pending.entries().stream()
      .map(p -> new PendingSuggestion(StudySpace.toParameters(p.natural()), p.expiresAt())).toList();
  }

  /**
   * Takes back the suggestions an earlier run stored, the expired ones left out. Call before the observations are
   * learnt: a stored suggestion already rated is dropped by {@link #observeRated} like a live one.
   */
  public void restorePending(List<PendingSuggestion> stored, long nowMs) {
    for (PendingSuggestion p : stored) {
      if (p.expiresAtMs() > nowMs) {
        pending.add(StudySpace.toNatural(p.parameters()), p.expiresAtMs());
      }
    }
  }

  /** Forgets pending suggestions (they were never handed out, e.g. the answer went out as a fallback). */
  public void withdraw(List<GenerationParameters> parameters) {
    for (GenerationParameters p : parameters) {
      pending.remove(StudySpace.toNatural(p));
    }
  }

  /** Where the study stands; fits the model when needed. A model failure is reported in {@code model}. */
  public StudyStatus status() {
    int n = optimizer.observations();
    boolean complete = phase1Reason != null;
    int left = Math.max(0, limits.maxSamples() - n);
    if (n == 0) {
      return new StudyStatus(name, 0, null, 0.0, complete ? 0 : left, complete, phase1Reason, null, "none");
    }
    if (n > limits.maxModelObservations()) {
      return new StudyStatus(name, n, null, 0.0, complete ? 0 : left, complete, phase1Reason, null,
        "unavailable: above the model limit of " + limits.maxModelObservations() + " ratings");
    }
    Surrogate model;
    try {
      model = optimizer.surrogate();
    } catch (ModelFailure failure) {
      return new StudyStatus(name, n, null, 0.0, complete ? 0 : left, complete, phase1Reason, null,
        "unavailable: " + failure.getMessage());
    }
    double best = clampRating(model.incumbentMean());
    IncumbentEvidence evidence = IncumbentEvidence.of(model, optimizer.encodedInputs(), optimizer.values());
    Progress progress = progress(model);
    int remaining = complete || left == 0 ? 0
      : (int) Math.min(left, Math.max(1, Math.ceil(1.0 / Math.max(progress.probabilityOfTarget(), 1e-9))));
    GenerationParameters bestParameters = StudySpace.toParameters(StudySpace.SPACE.decode(model.incumbent()));
    String modelName = optimizer.inInitialDesign() ? SuggestReply.INITIAL_DESIGN : "gp-matern52-ard";
    double support = Math.min(1.0, evidence.nearCount() / (double) MIN_SUPPORT);
    double convergence = optimizer.inInitialDesign() ? 0.0 : progress.convergence() * support;
    return new StudyStatus(name, n, best, convergence, remaining, complete, phase1Reason, bestParameters,
      modelName, clampRating(evidence.lower()), clampRating(evidence.upper()),
      evidence.nearCount() == 0 ? null : evidence.nearAverage(), evidence.nearCount(),
      detail(phase1Reason, evidence.estimate(), clampRating(evidence.lower()), clampRating(evidence.upper()),
        evidence.nearCount(), evidence.nearAverage()), bestPerApi(model), predictedInUse());
  }

  /**
   * For each API the study has rated, its observed setting with the highest posterior mean and the evidence there
   * (the overall best is the best of its API, so the two always agree).
   */
  private List<BestSetting> bestPerApi(Surrogate model) {
    List<double[]> inputs = optimizer.encodedInputs();
    List<BestSetting> list = new ArrayList<>();
    for (int level = 0; level < ParameterSpace.APIS.size(); level++) {
      int api = level;
      int index = model.bestIndexWhere(i -> (int) StudySpace.SPACE.decode(inputs.get(i))[0] == api);
      if (index < 0) {
        continue;
      }
      IncumbentEvidence e = IncumbentEvidence.at(model, inputs.get(index), inputs, optimizer.values());
      list.add(new BestSetting(StudySpace.toParameters(StudySpace.SPACE.decode(inputs.get(index))),
        clampRating(e.estimate()), clampRating(e.lower()), clampRating(e.upper()), e.nearCount(),
        e.nearCount() == 0 ? null : e.nearAverage()));
    }
    return list;
  }

  private static double clampRating(double rating) {
    return Math.min(5.0, Math.max(1.0, rating));
  }

  /** True when the data show the best setting rates at least the target: see {@link #phaseOneReached}. */
  private boolean targetShown(IncumbentEvidence e) {
    return !optimizer.inInitialDesign() && e.nearCount() >= MIN_SUPPORT && e.lower() >= limits.targetRating()
      && e.nearAverage() >= limits.targetRating();
  }

  /** {@code status} with phase 1 as given, and its words to match. */
  public StudyStatus withPhaseOne(StudyStatus status, String reason, int trialsRemaining) {
    String words = status.bestRating() == null ? null : detail(reason, status.bestRating(), status.bestLower(),
      status.bestUpper(), status.bestObservedCount(),
      status.bestObservedAverage() == null ? Double.NaN : status.bestObservedAverage());
    return status.withPhaseOne(reason != null, reason, trialsRemaining, words);
  }

  private String detail(String reason, double estimate, double lower, double upper, int count, double average) {
    String evidence = String.format(java.util.Locale.ROOT,
      "best setting: estimate %.2f, 90%% interval %.2f-%.2f, %d rating(s) near it%s", estimate, lower, upper, count,
      count == 0 ? "" : String.format(java.util.Locale.ROOT, " averaging %.2f", average));
    if (reason != null) {
      return "ended (" + reason + "); " + evidence;
    }
    return String.format(java.util.Locale.ROOT, "running; ends at %d ratings, or once the interval's lower bound "
      + "and the average of at least %d ratings near the best setting reach %.1f (after the initial design); %s",
      limits.maxSamples(), MIN_SUPPORT, limits.targetRating(), evidence);
  }

  private record Progress(double convergence, double probabilityOfTarget) {
  }

  private Progress progress(Surrogate model) {
    SearchSpace space = StudySpace.SPACE;
    List<double[]> points = new ArrayList<>(SpaceFillingDesign.points(space, PROGRESS_CANDIDATES,
      new SplittableRandom(optimizer.observations())));
    points.add(model.incumbent());
    double[][] candidates = points.toArray(new double[0][]);
    double[] mean = new double[candidates.length];
    double[] variance = new double[candidates.length];
    model.process().predict(candidates, mean, variance);
    double threshold = model.incumbentMean() + limits.improvementStep();
    double maxImprove = 0;
    double maxTarget = 0;
    for (int i = 0; i < candidates.length; i++) {
      double mu = model.fromStandard(mean[i]);
      double sd = Math.sqrt(variance[i]) * model.scale();
      maxImprove = Math.max(maxImprove, 1 - ExpectedImprovement.cdf((threshold - mu) / sd));
      maxTarget = Math.max(maxTarget, 1 - ExpectedImprovement.cdf((limits.targetRating() - mu) / sd));
    }
    return new Progress(Math.min(1, Math.max(0, 1 - maxImprove)), maxTarget);
  }

  public boolean phase1Complete() {
    return phase1Reason != null;
  }

  public String phase1Reason() {
    return phase1Reason;
  }

  /**
   * The reason phase 1 ends with this status, if a rule is met and it is still running: enough samples;
   * or, after the initial design, the data show the best setting rates at least the target — the lower
   * bound of its 90 % credible interval reaches it, and so does the plain average of at least
   * {@link #MIN_SUPPORT} ratings given near it (one lucky vote can do neither). Changes nothing: the
   * caller stores the end first, then calls {@link #setPhaseOne}.
   */
  public Optional<String> phaseOneReached(StudyStatus status) {
    if (phase1Reason != null) {
      return Optional.empty();
    }
    if (status.samples() >= limits.maxSamples()) {
      return Optional.of(REASON_SAMPLES);
    }
    if (status.bestRating() != null && evidence().filter(this::targetShown).isPresent()) {
      return Optional.of(REASON_RATING);
    }
    return Optional.empty();
  }

  /**
   * True when phase 1 ended on the rating rule and later ratings took the evidence back: the model's
   * estimate at its best setting fell below the target, or the ratings near it average below it. (The
   * sample limit and an admin override are not revisited.) Changes nothing, like {@link #phaseOneReached}.
   */
  public boolean phaseOneReopens(StudyStatus status) {
    if (!REASON_RATING.equals(phase1Reason) || status.samples() >= limits.maxSamples()) {
      return false;
    }
    return evidence().map(e -> e.estimate() < limits.targetRating() || e.nearAverage() < limits.targetRating())
      .orElse(false);
  }

  private Optional<IncumbentEvidence> evidence() {
    if (optimizer.observations() == 0 || optimizer.observations() > limits.maxModelObservations()) {
      return Optional.empty();
    }
    try {
      return Optional.of(IncumbentEvidence.of(optimizer.surrogate(), optimizer.encodedInputs(), optimizer.values()));
    } catch (ModelFailure failure) {
      return Optional.empty();
    }
  }

  /**
   * The phase-1 reason after an admin override: {@code complete} ends phase 1 (an earlier automatic
   * reason is kept), otherwise it reopens (null; the automatic rules apply again from the next rating).
   */
  public String overridden(boolean complete) {
    return complete ? (phase1Reason == null ? REASON_OVERRIDE : phase1Reason) : null;
  }

  /** Sets phase 1 as stored: ended for {@code reason}, or running when null. */
  public void setPhaseOne(String reason) {
    this.phase1Reason = reason;
  }
}
