package dev.promptlab.http.imports;

import dev.promptlab.contract.GenerationParameters;
import java.time.OffsetDateTime;

/**
 * One valid row of a manifest: a rated variant to store. {@code ratedBy} and {@code ratedAt} are null when the
 * manifest does not say (the importing admin and the import's time are used); image paths are normalised.
 */
record ImportRow(int row, String originalPath, String enhancedPath, String mode, GenerationParameters parameters,
                 String promptVersion, int rating, String comment, String ratedBy, OffsetDateTime ratedAt) {
}
