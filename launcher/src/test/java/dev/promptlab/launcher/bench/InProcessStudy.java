package dev.promptlab.launcher.bench;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.optimizer.study.RatedSample;
import dev.promptlab.optimizer.study.Study;
import dev.promptlab.optimizer.study.StudyLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizer's {@link Study} called directly, in the order the optimizer verticle calls it (suggest;
 * observe, status, phase-1 rules, reopening): the same decisions without server, database and images. For choosing
 * defaults quickly; the figures to report come from the HTTP driver.
 *
 * <p>With a {@link SimulatedEvolution} each upload's options get prompt versions as the evolution assigns them, and
 * while an A/B test runs the study is asked for one point that both arms share, as the http verticle does; the
 * ratings reach the study with their versions and experiment (so {@code PromptEffects} measures and removes the
 * versions' effects) and reach the evolution, which decides its tests and starts the next. Without one, every
 * experiment has two points of the study and no versions.
 */
public final class InProcessStudy implements StudyDriver {

  private final String mode;
  private final Study study;
  private final SimulatedEvolution evolution;
  private List<GenerationParameters> last = List.of();
  private List<SimulatedEvolution.Assignment> versions = List.of();
  private long clock;
  private int experiments;

  public InProcessStudy(String mode, long seed, OptimizerSettings settings) {
    this(mode, seed, settings, null);
  }

  public InProcessStudy(String mode, long seed, OptimizerSettings settings, SimulatedEvolution evolution) {
    this.mode = mode;
    this.study = new Study(mode, settings, seed, StudyLimits.defaults());
    this.evolution = evolution;
  }

  @Override
  public List<GenerationParameters> experiment() {
    experiments++;
    clock += 60_000;
    if (evolution == null) {
      last = study.suggest(2, clock).parameters();
      return last;
    }
    versions = evolution.assign(2);
    boolean abTestArms = versions.stream().anyMatch(a -> a.abTestId() != null);
    if (abTestArms) {
      GenerationParameters shared = study.suggest(1, clock).parameters().get(0);
      last = List.of(shared, shared);
    } else {
      last = study.suggest(2, clock).parameters();
    }
    return last;
  }

  @Override
  public PhaseOne rate(List<Integer> ratings) {
    List<RatedSample> samples = new ArrayList<>();
    List<SimulatedEvolution.Rating> applied = new ArrayList<>();
    String experimentId = evolution == null ? null : mode + "-" + experiments;
    for (int i = 0; i < ratings.size(); i++) {
      Observation observation = new Observation(last.get(i), ratings.get(i), "bench");
      if (evolution == null) {
        samples.add(RatedSample.unversioned(observation));
      } else {
        SimulatedEvolution.Assignment a = versions.get(i);
        samples.add(new RatedSample(observation, a.version(), experimentId, a.abTestId() != null));
        applied.add(new SimulatedEvolution.Rating(a.version(), a.abTestId(), ratings.get(i)));
      }
    }
    study.observeRated(samples);
    if (evolution != null) {
      evolution.rated(applied);
    }
    StudyStatus status = study.status();
    if (study.phaseOneReopens(status)) {
      study.setPhaseOne(null);
    } else {
      study.phaseOneReached(status).ifPresent(study::setPhaseOne);
    }
    if (evolution != null) {
      evolution.studyUpdated(mode, study.withPhaseOne(status, study.phase1Reason(), 0));
    }
    return new PhaseOne(study.phase1Complete(), study.phase1Reason(), status.bestParameters());
  }
}
