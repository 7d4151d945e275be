package dev.promptlab.http.training;

import dev.promptlab.contract.GenerationParameters;
import java.util.List;

/**
 * An experiment about to be stored with its options (ready or failed) in one transaction; {@code selection} says
 * how the options were chosen ({@code two-options} or {@code reward-model}), and {@code candidates} are every
 * candidate rendered when there were more than the two shown (empty otherwise).
 */
public record NewExperiment(String id, String mode, long originalImageId, String originalPublicId, String strategy,
                            String createdBy, List<Option> options, String selection, List<Candidate> candidates) {

  public NewExperiment {
    options = List.copyOf(options);
    candidates = List.copyOf(candidates);
  }

  /** Two options rendered and shown, no model involved. */
  public NewExperiment(String id, String mode, long originalImageId, String originalPublicId, String strategy,
                       String createdBy, List<Option> options) {
    this(id, mode, originalImageId, originalPublicId, strategy, createdBy, options, CandidateJudge.TWO_OPTIONS,
      List.of());
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

    /** The same render under another option letter (null: not shown). */
    public Option as(String letter) {
      return new Option(letter, provider, parameters, promptVersion, abTestId, seed, imageId, imagePublicId, error,
        durationMs);
    }
  }

  /**
   * One rendered candidate (numbered from 1) as {@code rendered} describes it ({@code option} set when it is
   * shown), with what became of it and the model's prediction (null when it has none).
   */
  public record Candidate(int number, CandidateSelection.Role role, Option rendered, Double predictedRating,
                          Double uncertainty, Long modelVersion, boolean belowScreen) {
  }
}
