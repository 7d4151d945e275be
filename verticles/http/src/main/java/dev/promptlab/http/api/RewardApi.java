package dev.promptlab.http.api;

import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.http.training.ExperimentAccess;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.training.TrainingStore;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.JsonBodies;
import dev.promptlab.http.web.Principal;
import dev.promptlab.http.web.UploadForm;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The reward model's JSON API (seed 002's {@code /ml/*}), answered by the reward verticle over the bus:
 * <ul>
 *   <li>{@code GET /api/ml/models} (admin): every trained model with its held-out figures, newest first;</li>
 *   <li>{@code POST /api/ml/retrain} (admin): trains a model now and answers with it;</li>
 *   <li>{@code POST /api/ml/extract_features} (multipart {@code image}, as an upload): the image's features by
 *       name, with the extractor's version (and the learned embedding when one is configured); nothing is
 *       stored;</li>
 *   <li>{@code POST /api/ml/predict_rating} {@code {"image_id"}}: the predicted rating of a stored variant (its
 *       public image id), with its uncertainty and the model's version; a trainer may ask only about their own
 *       experiments, as for the images themselves.</li>
 * </ul>
 */
public final class RewardApi {

  private final Vertx vertx;
  private final long maxUploadBytes;
  private final Neighbours neighbours;
  private final TrainingStore store;

  public RewardApi(Vertx vertx, long maxUploadBytes, Neighbours neighbours, TrainingStore store) {
    this.vertx = vertx;
    this.maxUploadBytes = maxUploadBytes;
    this.neighbours = neighbours;
    this.store = store;
  }

  public void extract(RoutingContext ctx) {
    JsonBodies.send(ctx, UploadForm.read(vertx, ctx, maxUploadBytes)
      .compose(upload -> neighbours.extractFeatures(upload.data()))
      .map(features -> features.toJson()));
  }

  public void models(RoutingContext ctx) {
    JsonBodies.send(ctx, neighbours.rewardModels().map(models -> models.toJson()));
  }

  public void retrain(RoutingContext ctx) {
    JsonBodies.send(ctx, neighbours.retrainReward(AccessGuard.principalName(ctx)).map(summary -> summary.toJson()));
  }

  public void predict(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    if (!(body.getValue("image_id") instanceof String imageId) || imageId.isBlank()) {
      throw ApiError.badRequest("image_id (the public id of an enhanced variant) is required");
    }
    Principal caller = AccessGuard.principal(ctx);
    JsonBodies.send(ctx, store.variant(imageId).compose(found -> {
      // A colleague's variant is answered like an unknown one, as /images does: its id reveals nothing.
      if (found.isEmpty() || !ExperimentAccess.mayUse(caller, found.get().createdBy())) {
        return Future.failedFuture(ApiError.notFound("no enhanced variant " + imageId));
      }
      TrainingStore.StoredVariant variant = found.get();
      return neighbours.predictRating(new PredictRatingRequest(variant.imageId(), variant.originalImageId(),
        variant.parameters(), variant.promptVersion(), caller.name()));
    }).map(predicted -> predicted.toJson().put("image_id", imageId)));
  }
}
