package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A pair of variants the trainer left: taken up again from the history, or set aside with a reason when it cannot
 * be judged. Either is for the experiment's creator or an admin ({@link ExperimentAccess}); anyone else gets the same
 * 404 as for an unknown experiment when reopening, so the history's links reveal nothing.
 */
public final class PairService {

  /** Why a pair is set aside (the table's check lists the same). */
  public static final List<String> SKIP_REASONS = List.of("cannot_judge", "images_broken", "unsuitable_render", "other");

  private final TrainingStore store;

  public PairService(TrainingStore store) {
    this.store = store;
  }

  /** The unrated experiment in the shape {@code POST /api/enhance/train} answers; 409 once rated or set aside. */
  public Future<JsonObject> reopen(String experimentId, Principal caller) {
    if (experimentId == null || !ExperimentIds.valid(experimentId)) {
      return Future.failedFuture(notFound(experimentId));
    }
    return store.experiment(experimentId)
      .recover(failure -> StorageFailures.explain(failure, "the experiment could not be read"))
      .compose(found -> found.filter(e -> ExperimentAccess.mayUse(caller, e.createdBy()))
        .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(notFound(experimentId))))
      .compose(experiment -> experiment.skipReason() != null || experiment.options().stream().anyMatch(o -> o.rating() != null)
        ? Future.failedFuture(ApiError.conflict("experiment " + experimentId + " is already rated or set aside")
          .withMessageKey("reopen_conflict"))
        : Future.succeededFuture(json(experiment)));
  }

  /** Sets the unrated pair aside with one of {@link #SKIP_REASONS}. */
  public Future<Void> skip(String experimentId, String reason, Principal caller) {
    if (reason == null || !SKIP_REASONS.contains(reason)) {
      return Future.failedFuture(ApiError.badRequest("reason must be one of " + String.join(", ", SKIP_REASONS))
        .withMessageKey("skip_reason_invalid"));
    }
    if (experimentId == null || !ExperimentIds.valid(experimentId)) {
      return Future.failedFuture(notFound(experimentId));
    }
    return store.skip(experimentId, reason, caller)
      .recover(failure -> failure instanceof ApiError ? Future.failedFuture(failure)
        : StorageFailures.explain(failure, "the pair could not be set aside"));
  }

  private static JsonObject json(ExperimentRecord experiment) {
    JsonArray options = new JsonArray();
    experiment.options().forEach(o -> options.add(new JsonObject()
      .put("option", o.option())
      .put("url", ImageUrls.of(o.imagePublicId()))
      .put("image_id", o.imageId())
      .put("prompt_version", o.promptVersion())
      .put("parameters", o.parameters().toSeedJson())
      .put("status", o.status())));
    return new JsonObject()
      .put("experiment_id", experiment.id())
      .put("mode", experiment.mode())
      .put("original_url", ImageUrls.of(experiment.originalPublicId()))
      .put("options", options);
  }

  private static ApiError notFound(String experimentId) {
    return ApiError.notFound("no experiment " + experimentId).withMessageKey("experiment_not_found");
  }
}
