package dev.promptlab.generation.provider;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.PromptText;
import io.vertx.core.buffer.Buffer;

/** Everything a provider needs to render one variant of an original. */
public record ProviderRequest(Buffer original, String originalContentType, GenerationParameters parameters,
                              PromptText prompt, long seed, String mode) {
}
