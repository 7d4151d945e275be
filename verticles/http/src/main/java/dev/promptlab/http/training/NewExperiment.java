package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;
import java.util.List;

/** An experiment about to be stored with its options (ready or failed) in one transaction. */
public record NewExperiment(String id, String mode, long originalImageId, String strategy, String createdBy,
                            List<Option> options) {

  public NewExperiment {
    options = List.copyOf(options);
  }

  /**
   * One option: {@code imageId} is set when the variant was generated ({@code error} null), else
   * {@code error} says why it failed.
   */
  public record Option(String option, String provider, GenerationParameters parameters, String promptVersion,
                       Long abTestId, long seed, Long imageId, String error, Long durationMs) {

    public String status() {
      return imageId == null ? "failed" : "ready";
    }
  }
}
