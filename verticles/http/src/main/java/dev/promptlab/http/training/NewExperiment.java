package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;
import java.util.List;

/** An experiment about to be stored with its options (ready or failed) in one transaction. */
public record NewExperiment(String id, String mode, long originalImageId, String originalPublicId, String strategy,
                            String createdBy, List<Option> options) {

  public NewExperiment {
    options = List.copyOf(options);
  }

  /**
   * One option: {@code imageId} and {@code imagePublicId} are set when the variant was generated ({@code error}
   * null), else {@code error} says why it failed.
   */
  public record Option(String option, String provider, GenerationParameters parameters, String promptVersion,
                       Long abTestId, long seed, Long imageId, String imagePublicId, String error, Long durationMs) {

    public String status() {
      return imageId == null ? "failed" : "ready";
    }
  }
}
