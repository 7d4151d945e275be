package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;

/** A failed option to generate again, with everything its first attempt used. */
public record RetryTarget(String experimentId, String option, String mode, long originalImageId,
                          GenerationParameters parameters, String promptVersion, Long abTestId, long seed) {
}
