package dev.promptlab.http.training;

import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.contract.PredictedRating;
import dev.promptlab.contract.PromptAssignment;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The enhance flow's questions to the reward verticle: whether an upload renders {@code best_of_n} candidates (a
 * reward model is active) or the two it shows, and what the model predicts for each rendered candidate. Neither
 * question fails the upload: without an answer in time the upload goes on as if the model were switched off, and
 * the reason says why.
 */
final class CandidateJudge {

  /** The selection of an experiment whose two options were picked by the reward model. */
  static final String REWARD_MODEL = "reward-model";
  /** The selection of an experiment that rendered and shows two options, as without a reward model. */
  static final String TWO_OPTIONS = "two-options";

  /**
   * How many candidates an upload renders; {@code reason} says why the model does not choose (null when it does,
   * and when it is switched off).
   */
  record Plan(int candidates, String reason) {

    static final Plan OFF = new Plan(CandidateSelection.OPTIONS.size(), null);

    boolean modelChooses() {
      return candidates > CandidateSelection.OPTIONS.size();
    }
  }

  /** The predictions of the rendered candidates (null for a failed render), or none and why. */
  private record Predictions(List<PredictedRating> ratings, String reason) {

    PredictedRating of(int candidate) {
      return ratings == null ? null : ratings.get(candidate);
    }
  }

  private final Neighbours neighbours;
  private final CandidateSettings settings;

  CandidateJudge(Neighbours neighbours, CandidateSettings settings) {
    this.neighbours = neighbours;
    this.settings = settings;
  }

  /**
   * {@code best_of_n} candidates while a reward model is active and no A/B test claims the pair; two otherwise.
   * Switched off, it answers at once without asking anybody.
   */
  Future<Plan> plan(Future<List<PromptAssignment>> prompts) {
    if (!settings.modelChooses()) {
      return Future.succeededFuture(Plan.OFF);
    }
    Future<Plan> byStatus = neighbours.rewardStatus(settings.rewardTimeoutMs())
      .map(status -> status.active() ? new Plan(settings.bestOfN(), null)
        : new Plan(CandidateSelection.OPTIONS.size(), "reward_model_inactive"))
      .otherwise(failure -> new Plan(CandidateSelection.OPTIONS.size(), unavailableReason(failure)));
    // An A/B test compares prompt versions on the pair its arms were assigned to: the model does not pick that pair.
    return Future.all(byStatus, prompts).map(both -> PromptAssignment.abTestArms(prompts.result())
      ? new Plan(CandidateSelection.OPTIONS.size(), "ab_test") : byStatus.result());
  }

  /**
   * Every rendered candidate placed by the model's predictions: {@code shown} are the candidates (by index) shown
   * as A and B; {@code selection} is {@link #REWARD_MODEL}, or {@link #TWO_OPTIONS} with the {@code reason} when
   * the predictions could not be had (the first rendered are shown then).
   */
  record Choice(List<Integer> shown, List<NewExperiment.Candidate> candidates, String selection, String reason) {
  }

  /**
   * Asks the model for every rendered candidate ({@code images} null for a failed render, in the order of
   * {@code rendered}) and places them with {@link CandidateSelection}; the model's favourite goes to A or B at random.
   */
  Future<Choice> choose(long originalImageId, List<NewExperiment.Option> rendered, List<GeneratedImage> images,
                        String rater) {
    return predict(originalImageId, images, rendered, rater)
      .map(predictions -> {
        List<CandidateSelection.Candidate> judged = new ArrayList<>();
        for (int i = 0; i < rendered.size(); i++) {
          PredictedRating rating = predictions.of(i);
          judged.add(new CandidateSelection.Candidate(images.get(i) != null,
            rating == null ? null : rating.predictedRating(), rating == null ? null : rating.uncertainty()));
        }
        Integer[] shown = new Integer[CandidateSelection.OPTIONS.size()];
        List<NewExperiment.Candidate> candidates = new ArrayList<>();
        for (CandidateSelection.Placement placement : CandidateSelection.choose(judged, settings.screen(),
          ThreadLocalRandom.current().nextBoolean())) {
          PredictedRating rating = predictions.of(placement.candidate());
          candidates.add(new NewExperiment.Candidate(placement.candidate() + 1, placement.role(),
            rendered.get(placement.candidate()).as(placement.option()),
            rating == null ? null : rating.predictedRating(), rating == null ? null : rating.uncertainty(),
            rating == null ? null : rating.modelVersion(), placement.belowScreen()));
          if (placement.option() != null) {
            shown[CandidateSelection.OPTIONS.indexOf(placement.option())] = placement.candidate();
          }
        }
        // Without one prediction (every render failed) nothing was the model's choice.
        boolean modelChose = judged.stream().anyMatch(c -> c.predicted() != null);
        return new Choice(List.of(shown), candidates, modelChose ? REWARD_MODEL : TWO_OPTIONS, predictions.reason());
      });
  }

  /**
   * The model's prediction of every rendered candidate ({@code images} null for a failed one), asked in parallel;
   * all of them, or none when one is missing or the model stopped being active.
   */
  private Future<Predictions> predict(long originalImageId, List<GeneratedImage> images,
                                      List<NewExperiment.Option> rendered, String rater) {
    List<Future<PredictedRating>> asked = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      GeneratedImage image = images.get(i);
      asked.add(image == null ? Future.succeededFuture() : neighbours.predictRating(new PredictRatingRequest(
        image.image().imageId(), originalImageId, rendered.get(i).parameters(), rendered.get(i).promptVersion(), rater),
        settings.rewardTimeoutMs()));
    }
    return Future.all(asked).map(all -> {
      List<PredictedRating> ratings = new ArrayList<>();
      for (Future<PredictedRating> one : asked) {
        if (one.result() != null && !one.result().active()) {
          return new Predictions(null, "reward_model_inactive");
        }
        ratings.add(one.result());
      }
      return new Predictions(ratings, null);
    }).otherwise(failure -> new Predictions(null, unavailableReason(failure)));
  }

  /** A small fixed vocabulary, like the optimizer's fallback reasons: it is shown in the answer. */
  static String unavailableReason(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return "reward_timeout";
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return "reward_not_running";
      }
      return "reward_failed";
    }
    return "reward_invalid_reply";
  }
}
