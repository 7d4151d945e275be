package dev.promptlab.evolution.store;

/**
 * The prompt and default numeric settings a version holds for one image API. The JSON names differ per API
 * ({@code init_strength}/{@code controlnet_weight} for Leonardo, {@code strength}/
 * {@code controlnet_conditioning_scale} for Stable Diffusion); {@link PromptVersionJson} maps them.
 */
public record ApiPromptSettings(String prompt, String negativePrompt, double strength, double guidanceScale,
                                double controlWeight) {

  /** The same numeric defaults with other prompt texts. */
  public ApiPromptSettings withPrompts(String newPrompt, String newNegativePrompt) {
    return new ApiPromptSettings(newPrompt, newNegativePrompt, strength, guidanceScale, controlWeight);
  }
}
