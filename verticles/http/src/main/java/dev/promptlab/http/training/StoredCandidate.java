package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;

/**
 * A stored candidate of an upload that rendered more than it showed, for admins: what became of it ({@code role},
 * {@code option} when shown), the model's prediction (null when it had none) and, for a shown one, the rating the
 * trainer gave (null until rated), so prediction and rating can be compared.
 */
public record StoredCandidate(int number, String role, String option, GenerationParameters parameters,
                              String promptVersion, String imagePublicId, String error, Double predictedRating,
                              Double uncertainty, Long modelVersion, boolean belowScreen, Integer rating) {
}
