package dev.promptlab.contract;

import java.util.List;

/**
 * The generation parameter space of the seed design: one categorical (the image API) and three reals.
 * Ranges are inclusive.
 */
public final class ParameterSpace {

  private ParameterSpace() {
  }

  public static final String LEONARDO = "leonardo";
  public static final String STABLE_DIFFUSION = "stablediffusion";
  /** The categorical {@code api} dimension, in its fixed encoding order. */
  public static final List<String> APIS = List.of(LEONARDO, STABLE_DIFFUSION);

  public static final double STRENGTH_MIN = 0.1;
  public static final double STRENGTH_MAX = 0.5;
  public static final double GUIDANCE_MIN = 5.0;
  public static final double GUIDANCE_MAX = 12.0;
  public static final double CONTROL_MIN = 0.7;
  public static final double CONTROL_MAX = 0.99;

  /** The two training modes; each has its own optimizer study. */
  public static final List<String> MODES = List.of("structure", "surfaces");

  public static boolean isMode(String mode) {
    return mode != null && MODES.contains(mode);
  }
}
