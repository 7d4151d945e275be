package dev.promptlab.optimizer.study;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.optimizer.model.SearchSpace;
import java.util.List;

/**
 * The seed design's parameter space ({@link ParameterSpace}) as a {@link SearchSpace}, and the mapping
 * between {@link GenerationParameters} and natural points {@code [api level, strength, guidance, control]}.
 */
public final class StudySpace {

  public static final SearchSpace SPACE = new SearchSpace(List.of(
    new SearchSpace.Categorical("api", ParameterSpace.APIS),
    new SearchSpace.Real("strength", ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX),
    new SearchSpace.Real("guidance_scale", ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX),
    new SearchSpace.Real("control_weight", ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX)));

  private StudySpace() {
  }

  public static double[] toNatural(GenerationParameters p) {
    return new double[] {ParameterSpace.APIS.indexOf(p.api()), p.strength(), p.guidanceScale(), p.controlWeight()};
  }

  /** A natural point as parameters; reals are clipped into their ranges (decoding already keeps them there). */
  public static GenerationParameters toParameters(double[] natural) {
    return new GenerationParameters(ParameterSpace.APIS.get((int) natural[0]),
      clip(natural[1], ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX),
      clip(natural[2], ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX),
      clip(natural[3], ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX));
  }

  private static double clip(double v, double min, double max) {
    return Math.min(max, Math.max(min, v));
  }
}
