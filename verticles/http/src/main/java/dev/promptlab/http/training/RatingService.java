package dev.promptlab.http.training;

import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StatusRequest;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Step 2 of the learning loop: the ratings are committed first (durable before any reply), and
 * {@code RatingsRecorded} is published as soon as the commit succeeded. Everyone else learns from that event or,
 * should they miss it, from the view {@code rated_variants}; nothing here waits for them except the answer's study
 * figures: the optimizer is asked for its status once it has learnt these ratings. When it cannot say so in time
 * the ratings are still stored and the answer says {@code ml_updated: false}. Repeating an identical submission
 * stores nothing, publishes nothing and answers 200.
 */
public final class RatingService {

  private final Neighbours neighbours;
  private final TrainingStore store;

  public RatingService(Neighbours neighbours, TrainingStore store) {
    this.neighbours = neighbours;
    this.store = store;
  }

  /** The study after the ratings: whether it is known to cover them, and its status if the optimizer answered. */
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
      .compose(commit -> {
        RatingsRecorded event = new RatingsRecorded(submission.experimentId(), commit.mode(), commit.stored(),
          commit.samplesCollected());
        if (!commit.stored().isEmpty()) {
          neighbours.ratingsRecorded(event);
        }
        return learned(event).map(learned -> answer(submission, commit, learned));
      });
  }

  private Future<Learned> learned(RatingsRecorded event) {
    long through = event.throughRatingId();
    return neighbours.studyStatus(new StatusRequest(event.mode(), through))
      .map(status -> new Learned(through > 0, status))
      .otherwise(failure -> new Learned(false, null));
  }

  private JsonObject answer(RatingSubmission submission, RatingCommit commit, Learned learned) {
    boolean duplicate = commit.stored().isEmpty();
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
