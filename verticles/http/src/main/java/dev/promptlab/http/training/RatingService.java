package dev.promptlab.http.training;

import dev.promptlab.contract.Observation;
import dev.promptlab.contract.ObserveRequest;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Step 2 of the learning loop: ratings and their observations are committed first (durable before
 * any reply), then the optimizer learns them; its failure does not undo the ratings, it only shows
 * as {@code ml_updated: false}. Repeating an identical submission stores nothing and answers 200.
 */
public final class RatingService {

  private final Neighbours neighbours;
  private final TrainingStore store;

  public RatingService(Neighbours neighbours, TrainingStore store) {
    this.neighbours = neighbours;
    this.store = store;
  }

  private record Learned(boolean modelUpdated, StudyStatus status) {
  }

  /**
   * Validates and records {@code body} (seed JSON) as rated by {@code caller}, who must be the experiment's
   * creator or an admin ({@link ExperimentAccess}); the body's {@code rated_by} counts only when
   * {@code bodyMayNameRater}.
   */
  public Future<JsonObject> rate(JsonObject body, Principal caller, boolean bodyMayNameRater) {
    RatingSubmission submission;
    try {
      submission = RatingSubmission.parse(body, caller.name(), bodyMayNameRater);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return store.recordRatings(submission, caller)
      .recover(failure -> StorageFailures.explain(failure, "the ratings could not be stored"))
      .compose(commit -> learn(commit).map(learned -> answer(submission, commit, learned)));
  }

  private Future<Learned> learn(RatingCommit commit) {
    Future<Learned> learned;
    if (commit.stored().isEmpty()) {
      learned = currentStatus(commit.mode(), false);
    } else {
      List<Observation> observations = commit.stored().stream()
        .map(r -> new Observation(r.parameters(), r.rating(), r.rater())).toList();
      learned = neighbours.observe(new ObserveRequest(commit.mode(), observations))
        .map(status -> new Learned(true, status))
        .recover(failure -> currentStatus(commit.mode(), false));
    }
    return learned;
  }

  private Future<Learned> currentStatus(String mode, boolean updated) {
    return neighbours.studyStatus(mode).map(status -> new Learned(updated, status))
      .recover(failure -> Future.succeededFuture(new Learned(updated, null)));
  }

  private JsonObject answer(RatingSubmission submission, RatingCommit commit, Learned learned) {
    boolean duplicate = commit.stored().isEmpty();
    if (!duplicate) {
      neighbours.ratingsRecorded(new RatingsRecorded(submission.experimentId(), commit.mode(), commit.stored(),
        commit.samplesCollected()));
    }
    StudyStatus status = learned.status();
    JsonObject body = new JsonObject()
      .put("success", true)
      .put("message", duplicate ? "Ratings already saved" : "Ratings saved")
      .put("ml_updated", learned.modelUpdated())
      .put("current_best_rating", status == null || status.bestRating() == null ? null
        : HistoryAnalytics.round2(status.bestRating()))
      .put("samples_collected", commit.samplesCollected())
      .put("phase_1_complete", status == null ? null : status.phase1Complete())
      .put("experiment_id", submission.experimentId())
      .put("mode", commit.mode());
    if (duplicate) {
      body.put("duplicate", true);
    }
    return body;
  }
}
