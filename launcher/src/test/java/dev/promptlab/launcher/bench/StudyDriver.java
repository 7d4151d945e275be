package dev.promptlab.launcher.bench;

import dev.promptlab.contract.GenerationParameters;
import java.util.List;

/** One optimizer study as a simulated trainer sees it: ask for an experiment's options, rate them. */
public interface StudyDriver {

  /** Phase 1 as the server reports it after a rating; {@code bestParameters} is the setting it calls best. */
  record PhaseOne(boolean complete, String reason, GenerationParameters bestParameters) {
  }

  /** The parameters of a new experiment's options (two of them). */
  List<GenerationParameters> experiment() throws Exception;

  /** Rates the last experiment's options, in order; answers phase 1 afterwards. */
  PhaseOne rate(List<Integer> ratings) throws Exception;
}
