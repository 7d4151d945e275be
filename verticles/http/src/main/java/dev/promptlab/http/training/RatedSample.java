package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;

/** One rated variant as the analytics see it, oldest first in every list. */
public record RatedSample(String mode, GenerationParameters parameters, String promptVersion, int rating) {
}
