package dev.promptlab.http.training;

import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.PromptVersionDocument;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Generates a failed option again with the same parameters, prompt version and seed, so the retry
 * is the same experiment point; the option is then recorded with the parameters the provider rendered it with.
 * Answers the option in the shape of {@code POST /api/enhance/train}.
 */
public final class RetryService {

  private final Neighbours neighbours;
  private final TrainingStore store;

  public RetryService(Neighbours neighbours, TrainingStore store) {
    this.neighbours = neighbours;
    this.store = store;
  }

  /** Only the experiment's creator or an admin may retry ({@link ExperimentAccess}). */
  public Future<JsonObject> retry(String experimentId, String option, Principal caller) {
    if (experimentId == null || !RatingSubmission.EXPERIMENT_ID.matcher(experimentId).matches()) {
      return Future.failedFuture(ApiError.badRequest("experiment_id must be a string like exp_1a2b3c"));
    }
    if (!"A".equals(option) && !"B".equals(option)) {
      return Future.failedFuture(ApiError.badRequest("option must be A or B"));
    }
    return store.failedOption(experimentId, option, caller).compose(target -> neighbours.promptVersion(target.promptVersion())
      .map(document -> prompt(document, target.parameters().api()))
      .compose(prompt -> neighbours.generate(new GenerateRequest(target.originalImageId(), target.mode(),
        target.parameters(), prompt, target.promptVersion(), target.seed())))
      .compose(image -> {
          GenerationParameters rendered = image.renderedWith(target.parameters());
          return store.retried(target, image.image(),
              image.provider() == null ? target.parameters().api() : image.provider(), rendered, image.durationMs(), null)
            .map(done -> new JsonObject()
              .put("option", option)
              .put("url", ImageUrls.preferred(image.image().url(), image.image().publicId()))
              .put("image_id", image.image().imageId())
              .put("prompt_version", target.promptVersion())
              .put("parameters", rendered.toSeedJson())
              .put("status", "ready"));
        }, failure -> {
          ApiError error = failure instanceof ApiError e ? e : ApiError.upstream("generation failed");
          return store.retried(target, null, null, null, null, error.getMessage())
            .transform(ignored -> Future.failedFuture(error));
        }));
  }

  private static PromptText prompt(PromptVersionDocument document, String api) {
    try {
      return document.prompt(api);
    } catch (IllegalArgumentException e) {
      throw ApiError.upstream(e.getMessage());
    }
  }
}
