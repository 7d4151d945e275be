package dev.promptlab.launcher.bench;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.optimizer.model.OptimizerSettings;
import dev.promptlab.optimizer.study.Study;
import dev.promptlab.optimizer.study.StudyLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizer's {@link Study} called directly, in the order the optimizer verticle calls it (suggest;
 * observe, status, phase-1 rules): the same decisions without server, database and images. For choosing
 * defaults quickly; the figures to report come from the HTTP driver.
 */
public final class InProcessStudy implements StudyDriver {

  private final Study study;
  private List<GenerationParameters> last = List.of();
  private long clock;

  public InProcessStudy(String mode, long seed, OptimizerSettings settings) {
    this.study = new Study(mode, settings, seed, StudyLimits.defaults());
  }

  @Override
  public List<GenerationParameters> experiment() {
    last = study.suggest(2, clock += 60_000).parameters();
    return last;
  }

  @Override
  public PhaseOne rate(List<Integer> ratings) {
    List<Observation> observations = new ArrayList<>();
    for (int i = 0; i < ratings.size(); i++) {
      observations.add(new Observation(last.get(i), ratings.get(i), "bench"));
    }
    study.observe(observations);
    StudyStatus status = study.status();
    study.phaseOneReached(status).ifPresent(study::setPhaseOne);
    return new PhaseOne(study.phase1Complete(), study.phase1Reason(), status.bestParameters());
  }
}
