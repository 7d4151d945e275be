package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;

/**
 * An experiment option as stored, with its rating when it has one ({@code rating} null otherwise).
 * {@code status} is {@code ready} or {@code failed}.
 */
public record StoredOption(long id, String option, Long imageId, String imagePublicId, String status,
                           GenerationParameters parameters, String promptVersion, Long abTestId, Integer rating,
                           String comment) {

  public boolean failed() {
    return "failed".equals(status);
  }

  public boolean rated() {
    return rating != null;
  }
}
