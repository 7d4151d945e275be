package dev.promptlab.generation.image;

/**
 * What drives one local enhancement.
 *
 * @param strength       how far the result moves away from the original (seed range 0.1–0.5)
 * @param guidanceScale  how strongly the photorealistic look is pushed (seed range 5–12)
 * @param controlWeight  how closely the original's structure is kept (seed range 0.7–0.99)
 * @param seed           makes the seeded parts (grain, structural variation) reproducible
 * @param prompt         positive prompt; its wording nudges the colour grade and varies the seeded noise
 * @param negativePrompt negative prompt; its terms push the grade the other way
 */
public record EnhancementParameters(double strength, double guidanceScale, double controlWeight, long seed,
                                    String prompt, String negativePrompt) {

  public EnhancementParameters {
    requireFinite("strength", strength);
    requireFinite("guidanceScale", guidanceScale);
    requireFinite("controlWeight", controlWeight);
    prompt = prompt == null ? "" : prompt;
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
  }

  private static void requireFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number");
    }
  }
}
