package dev.promptlab.launcher.bench;

import dev.promptlab.contract.LearnedParameters;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.evolution.EvolutionSettings;
import dev.promptlab.evolution.abtest.AbArms;
import dev.promptlab.evolution.abtest.AbTestDecision;
import dev.promptlab.evolution.abtest.ArmTally;
import dev.promptlab.evolution.learned.LearnedParameterRule;
import dev.promptlab.evolution.trigger.EvolutionTriggers;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evolution verticle's pacing of prompt versions and A/B tests, for the in-process driver: which version each
 * option of an upload gets, when an evolution starts (its triggers), when its A/B test is decided and what it decides,
 * and when a study's learned parameters make a new current version — by the evolution's own rules
 * ({@link EvolutionTriggers}, {@link AbArms}, {@link AbTestDecision}, {@link LearnedParameterRule}) at their
 * default settings, with the offline provider's evolution taken as instant. One instance serves every study of a
 * simulated server, as the evolution does (its samples count the ratings of both modes). Not thread-safe.
 */
public final class SimulatedEvolution {

  /** The version one option is rendered with, and the A/B test it is an arm of (null outside a test). */
  public record Assignment(String version, Long abTestId) {
  }

  /** A rating as evolution reads it from {@code rated_variants}. */
  public record Rating(String version, Long abTestId, int rating) {
  }

  private record AbTest(long id, String control, String candidate) {
  }

  /** The evolution verticle's defaults, read as it reads them, so the simulation follows them when they change. */
  private static final EvolutionSettings DEFAULTS = EvolutionSettings.from(new JsonObject());
  private static final EvolutionTriggers.Settings TRIGGERS = new EvolutionTriggers.Settings(
    DEFAULTS.triggers().everySamples(), DEFAULTS.triggers().periodicBelow(), DEFAULTS.triggers().lowPerformanceAfter(),
    DEFAULTS.triggers().lowPerformanceBelow(), DEFAULTS.triggers().plateauSamples(),
    DEFAULTS.triggers().minSamplesBetween());
  private static final AbTestDecision.Rule RULE = new AbTestDecision.Rule(DEFAULTS.abTest().samplesPerArm(),
    DEFAULTS.abTest().minMargin(), DEFAULTS.abTest().minProbability(), DEFAULTS.abTest().minSd());

  private final List<Rating> ratings = new ArrayList<>();
  /** What each version holds of the studies' learned parameters (mode → API → setting); evolved ones inherit it. */
  private final Map<String, Map<String, Map<String, LearnedParameters>>> learned = new HashMap<>();
  private EvolutionTriggers.State state = new EvolutionTriggers.State(null, null, 0, 0);
  private String current = "v1.0.0";
  private int versions = 1;
  private AbTest open;
  private long slotsAssigned;
  private long tests;
  private int evolutions;
  private int promotions;
  private int learnedVersions;

  public SimulatedEvolution() {
    learned.put(current, Map.of());
  }

  /** The versions of an upload's {@code count} options: the running test's arms in slot order, or the current. */
  public List<Assignment> assign(int count) {
    List<Assignment> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (open == null) {
        list.add(new Assignment(current, null));
      } else {
        boolean candidate = AbArms.armOf(open.id(), slotsAssigned++) == AbArms.Arm.CANDIDATE;
        list.add(new Assignment(candidate ? open.candidate() : open.control(), open.id()));
      }
    }
    return list;
  }

  /** One rating pass after {@code rated} were stored: decides a complete test, then checks the triggers. */
  public void rated(List<Rating> rated) {
    ratings.addAll(rated);
    int samples = ratings.size();
    boolean busy = false;
    if (open != null) {
      ArmTally control = tally(open.id(), open.control());
      ArmTally candidate = tally(open.id(), open.candidate());
      if (AbTestDecision.complete(RULE, control, candidate)) {
        if (AbTestDecision.decide(RULE, control, candidate).outcome() == AbTestDecision.Outcome.PROMOTE) {
          current = open.candidate();
          promotions++;
        }
        open = null;
        state = new EvolutionTriggers.State(state.nextEvolutionAtSample(), state.bestAvgRating(), state.bestAtSample(),
          samples);
      } else {
        busy = true;
      }
    }
    EvolutionTriggers.Outcome outcome = EvolutionTriggers.evaluate(TRIGGERS, state,
      new EvolutionTriggers.Now(samples, average(current), busy));
    state = outcome.next();
    if (outcome.fired() != null) {
      // The offline provider answers at once; the new version opens its A/B test against the current one.
      String candidate = nextVersion();
      learned.put(candidate, learned.get(current));
      evolutions++;
      open = new AbTest(++tests, current, candidate);
      slotsAssigned = 0;
    }
  }

  /** A study's published update: writes its learned parameters into a new current version when they are due. */
  public void studyUpdated(String mode, StudyStatus status) {
    if (open != null) {
      return;
    }
    Map<String, Map<String, LearnedParameters>> held = learned.get(current);
    Optional<Map<String, LearnedParameters>> due =
      LearnedParameterRule.due(held.getOrDefault(mode, Map.of()), status, "bench");
    if (due.isPresent()) {
      Map<String, Map<String, LearnedParameters>> next = new HashMap<>(held);
      next.put(mode, due.get());
      current = nextVersion();
      learned.put(current, next);
      learnedVersions++;
    }
  }

  public int evolutions() {
    return evolutions;
  }

  public int promotions() {
    return promotions;
  }

  public int learnedVersions() {
    return learnedVersions;
  }

  private String nextVersion() {
    return "v1.0." + versions++;
  }

  private ArmTally tally(long testId, String version) {
    int n = 0;
    double sum = 0;
    double squares = 0;
    for (Rating r : ratings) {
      if (r.abTestId() != null && r.abTestId() == testId && r.version().equals(version)) {
        n++;
        sum += r.rating();
        squares += r.rating() * r.rating();
      }
    }
    return new ArmTally(n, sum, squares);
  }

  /** The version's average rating over every mode (its performance), null before its first rating. */
  private Double average(String version) {
    int n = 0;
    double sum = 0;
    for (Rating r : ratings) {
      if (r.version().equals(version)) {
        n++;
        sum += r.rating();
      }
    }
    return n == 0 ? null : sum / n;
  }
}
