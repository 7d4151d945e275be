package dev.promptlab.http.training;

import dev.promptlab.contract.EvolutionStatus;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardStatus;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /api/train/status} in the seed's shape. Sample counts come from the database; the
 * optimizer and the prompt store add what only they know. {@code phase_1} counts this mode's ratings;
 * {@code prompt_evolution} counts both modes' (one prompt serves both) and says so by its own fields. When one of them does not answer, its
 * fields are null and its name is listed under {@code unavailable} instead of failing the page.
 */
public final class StatusService {

  private final Neighbours neighbours;
  private final TrainingStore store;

  public StatusService(Neighbours neighbours, TrainingStore store) {
    this.neighbours = neighbours;
    this.store = store;
  }

  public Future<JsonObject> status(String mode) {
    if (!ParameterSpace.isMode(mode)) {
      return Future.failedFuture(ApiError.badRequest("mode must be one of " + String.join(", ", ParameterSpace.MODES)));
    }
    Future<StudyStatus> study = neighbours.studyStatus(mode).otherwiseEmpty();
    Future<EvolutionStatus> evolution = neighbours.evolutionStatus().otherwiseEmpty();
    Future<RewardStatus> reward = neighbours.rewardStatus().otherwiseEmpty();
    Future<Integer> samples = store.samplesCollected(mode);
    return Future.all(study, evolution, reward, samples)
      .recover(failure -> StorageFailures.explain(failure, "the training status could not be read"))
      .map(all -> body(mode, study.result(), evolution.result(), reward.result(), samples.result()));
  }

  private static JsonObject body(String mode, StudyStatus study, EvolutionStatus evolution, RewardStatus reward,
                                 int samples) {
    JsonArray unavailable = new JsonArray();
    JsonObject phase1 = new JsonObject().put("samples_collected", samples);
    JsonObject best = CurrentBest.of(study, null);
    if (study == null) {
      unavailable.add("optimizer");
      phase1.putNull("active").putNull("best_rating").putNull("best_rating_interval").putNull("best_observed_average")
        .put("best_observed_count", 0).putNull("convergence").putNull("estimated_trials_remaining")
        .putNull("completed_reason").putNull("detail").put("predicted_observations", 0);
    } else {
      // best_rating is the model's estimate at its best setting, with its interval; the plain average of the
      // ratings given near that setting is apart, with their count, so neither passes for the other.
      phase1.put("active", !study.phase1Complete())
        .put("best_rating", round(study.bestRating()))
        .put("best_rating_interval", study.bestLower() == null ? null
          : new JsonArray().add(round(study.bestLower())).add(round(study.bestUpper())))
        .put("best_observed_average", round(study.bestObservedAverage()))
        .put("best_observed_count", study.bestObservedCount())
        .put("convergence", HistoryAnalytics.round2(study.convergence()))
        .put("estimated_trials_remaining", study.estimatedTrialsRemaining())
        .put("completed_reason", study.phase1Reason())
        .put("detail", study.phase1Detail())
        // Predictions the study learns beside the ratings (optimizer.use_predicted_ratings); never samples.
        .put("predicted_observations", study.predictedObservations());
    }
    JsonObject phase2 = phaseTwo(reward);
    if (reward == null) {
      unavailable.add("reward");
    }
    JsonObject evolutionBlock = new JsonObject();
    if (evolution == null) {
      unavailable.add("evolution");
      evolutionBlock.putNull("current_version").putNull("last_evolution").putNull("next_evolution_at_sample")
        .putNull("samples_collected").putNull("ratings_until_next_evolution");
    } else {
      // One prompt serves both modes, so evolution counts the ratings of both: its counter is shown as such, with
      // the ratings still to go, never beside this mode's sample count as if it were one of them.
      evolutionBlock.put("current_version", evolution.currentVersion())
        .put("last_evolution", evolution.lastEvolution())
        .put("next_evolution_at_sample", evolution.nextEvolutionAtSample())
        .put("samples_collected", evolution.samplesCollected())
        .put("ratings_until_next_evolution",
          Math.max(0, evolution.nextEvolutionAtSample() - evolution.samplesCollected()));
    }
    return new JsonObject()
      .put("mode", mode)
      .put("phase_1", phase1)
      .put("phase_2", phase2)
      .put("prompt_evolution", evolutionBlock)
      .put("current_best", best)
      .put("unavailable", unavailable);
  }

  /**
   * The reward model's block: the seed's {@code training_samples}, {@code model_accuracy} (the share of held-out
   * ratings predicted within half a star) and {@code ready_for_inference}, with the figures behind them.
   */
  private static JsonObject phaseTwo(RewardStatus reward) {
    JsonObject phase2 = new JsonObject();
    if (reward == null) {
      return phase2.putNull("active").putNull("samples").putNull("training_samples").putNull("model_version")
        .putNull("mae").putNull("within_half_star").putNull("model_accuracy").putNull("pairwise_accuracy")
        .putNull("ready_for_inference").putNull("reason").putNull("embedding_model");
    }
    RewardModelSummary model = reward.latest();
    return phase2.put("active", reward.active()).put("samples", reward.samples())
      .put("training_samples", reward.samples())
      .put("model_version", model == null ? null : model.version())
      .put("mae", model == null ? null : round(model.mae()))
      .put("within_half_star", model == null ? null : round(model.withinHalfStar()))
      .put("model_accuracy", model == null ? null : round(model.withinHalfStar()))
      .put("pairwise_accuracy", model == null ? null : round(model.pairwiseAccuracy()))
      .put("ready_for_inference", reward.active())
      .put("reason", reward.reason())
      .put("embedding_model", reward.embeddingModel());
  }

  private static Double round(Double value) {
    return value == null ? null : HistoryAnalytics.round2(value);
  }
}
