package dev.promptlab.evolution.learned;

import dev.promptlab.contract.BestSetting;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.LearnedParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.StudyStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a study's learned parameters are written into a new prompt version. Pure logic, no Vert.x.
 *
 * <p>Only a study whose phase 1 is over publishes, and only the best setting of an API with at least
 * {@link #MIN_RATINGS} ratings near it (fewer is a guess, not something learned). A write is due when the current
 * version holds nothing for the mode, or nothing for such an API, or when such an API's best setting has moved by
 * at least {@link #MATERIAL_MOVE} of the parameter box (unit-cube distance over strength, guidance and control
 * weight) from what the version holds. A new estimate at the same setting changes nothing production would do, so it
 * writes nothing; neither does the small wandering of a best setting that more ratings refine.
 */
public final class LearnedParameterRule {

  /** Ratings near an API's best setting before it is published. */
  public static final int MIN_RATINGS = 3;
  /** Unit-cube distance a best setting must move to be written again. */
  public static final double MATERIAL_MOVE = 0.1;

  private LearnedParameterRule() {
  }

  /**
   * The mode's entries the new version should hold (every API's, the kept ones included), or empty when no write
   * is due. {@code stored} is what the current version holds for the mode (by API); {@code learnedAt} stamps the
   * entries written now.
   */
  public static Optional<Map<String, LearnedParameters>> due(Map<String, LearnedParameters> stored, StudyStatus study,
                                                            String learnedAt) {
    if (!study.phase1Complete()) {
      return Optional.empty();
    }
    Map<String, LearnedParameters> next = new LinkedHashMap<>(stored);
    boolean changed = false;
    for (BestSetting best : study.bestPerApi()) {
      if (best.ratings() < MIN_RATINGS) {
        continue;
      }
      LearnedParameters held = stored.get(best.api());
      if (held == null || distance(held.parameters(), best.parameters()) >= MATERIAL_MOVE) {
        next.put(best.api(), LearnedParameters.of(study, best, learnedAt));
        changed = true;
      }
    }
    return changed ? Optional.of(next) : Optional.empty();
  }

  /** Unit-cube distance between two settings of the parameter box (their APIs aside). */
  public static double distance(GenerationParameters a, GenerationParameters b) {
    double s = (a.strength() - b.strength()) / (ParameterSpace.STRENGTH_MAX - ParameterSpace.STRENGTH_MIN);
    double g = (a.guidanceScale() - b.guidanceScale()) / (ParameterSpace.GUIDANCE_MAX - ParameterSpace.GUIDANCE_MIN);
    double c = (a.controlWeight() - b.controlWeight()) / (ParameterSpace.CONTROL_MAX - ParameterSpace.CONTROL_MIN);
    return Math.sqrt(s * s + g * g + c * c);
  }
}
