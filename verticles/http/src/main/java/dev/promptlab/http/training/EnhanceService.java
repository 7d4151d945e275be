package dev.promptlab.http.training;

import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.StoreImageRequest;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.contract.SuggestReply;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Step 1 of the learning loop: store the original, the prompt version of each sample, then the points to render
 * (optimizer, or random when it cannot answer), render the variants in parallel and store the experiment with both
 * options in one transaction. While an A/B test runs, the two options hold its two arms and share one point (same API
 * and settings), so the difference trainers see between them is the prompt's. Answers the seed's JSON; when no
 * variant could be generated, a 502 {@code provider_failed} {@link ApiError} whose details are that same JSON (the
 * experiment is stored and each failed option can be retried). With best-of-N switched on and a reward model
 * active (and no A/B test claiming the pair), more candidates are rendered and the model picks the two shown
 * ({@link CandidateSelection}); the others are stored beside them with their predictions.
 */
public final class EnhanceService {

  private static final List<String> OPTIONS = CandidateSelection.OPTIONS;

  private final Neighbours neighbours;
  private final TrainingStore store;
  private final CandidateJudge judge;

  public EnhanceService(Neighbours neighbours, TrainingStore store) {
    this(neighbours, store, CandidateSettings.OFF);
  }

  /** With {@code candidates}: best-of-N and screening while a reward model is active ({@link CandidateSelection}). */
  public EnhanceService(Neighbours neighbours, TrainingStore store, CandidateSettings candidates) {
    this.neighbours = neighbours;
    this.store = store;
    this.judge = new CandidateJudge(neighbours, candidates);
  }

  private record Outcome(GeneratedImage image, ApiError error) {
  }

  public Future<JsonObject> enhance(Upload upload) {
    StoreImageRequest request = new StoreImageRequest(upload.data(), upload.filename(), upload.projectId(),
      upload.siteVisitId());
    return neighbours.storeOriginal(request).compose(original -> {
      Future<List<PromptAssignment>> prompts = neighbours.assign(upload.mode(), OPTIONS.size());
      Future<CandidateJudge.Plan> plan = judge.plan(prompts);
      return Future.all(prompts, plan).compose(both -> {
        // The optimizer is asked only for the points that are used: a point it hands out and nobody rates keeps
        // new suggestions away from its neighbourhood until it expires.
        boolean abTestArms = PromptAssignment.abTestArms(prompts.result());
        return suggestOrFallback(upload.mode(), abTestArms ? 1 : plan.result().candidates())
          .compose(points -> render(upload, original, points, prompts.result(), abTestArms, plan.result()));
      });
    });
  }

  private Future<JsonObject> render(Upload upload, StoredImage original, SuggestReply points,
                                    List<PromptAssignment> prompts, boolean abTestArms, CandidateJudge.Plan plan) {
    if (prompts.isEmpty()) {
      return Future.failedFuture(ApiError.upstream("evolution assigned no prompt version"));
    }
    List<GenerateRequest> requests = new ArrayList<>();
    List<Future<Outcome>> outcomes = new ArrayList<>();
    // The arms of an A/B test also share the provider's seed: nothing but the prompt tells their images apart.
    long sharedSeed = abTestArms ? ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE : -1;
    for (int i = 0; i < plan.candidates(); i++) {
      GenerationParameters parameters = points.suggestions().get(Math.min(i, points.suggestions().size() - 1));
      PromptAssignment prompt = prompts.get(Math.min(i, prompts.size() - 1));
      GenerateRequest request = new GenerateRequest(original.imageId(), upload.mode(), parameters,
        prompt.forApi(parameters.api()), prompt.version(),
        sharedSeed >= 0 ? sharedSeed : ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
      requests.add(request);
      outcomes.add(neighbours.generate(request).map(image -> new Outcome(image, null))
        .recover(failure -> Future.succeededFuture(new Outcome(null, asApiError(failure)))));
    }
    return Future.all(outcomes).compose(all -> {
      List<NewExperiment.Option> rendered = new ArrayList<>();
      for (int i = 0; i < plan.candidates(); i++) {
        Outcome outcome = all.resultAt(i);
        GenerateRequest request = requests.get(i);
        PromptAssignment prompt = prompts.get(Math.min(i, prompts.size() - 1));
        GeneratedImage image = outcome.image();
        // A rendered option is recorded (and later learned) with the parameters the provider really used.
        rendered.add(new NewExperiment.Option(i < OPTIONS.size() ? OPTIONS.get(i) : null,
          image == null || image.provider() == null ? request.parameters().api() : image.provider(),
          image == null ? request.parameters() : image.renderedWith(request.parameters()), prompt.version(),
          prompt.abTestId(), request.seed(),
          image == null ? null : image.image().imageId(), image == null ? null : image.image().publicId(),
          outcome.error() == null ? null : outcome.error().getMessage(),
          image == null ? null : image.durationMs()));
      }
      return choose(upload, original, plan, rendered, outcomes(all)).compose(chosen -> {
        NewExperiment experiment = new NewExperiment(ExperimentIds.next(), upload.mode(), original.imageId(),
          original.publicId(), points.strategy(), upload.createdBy(), chosen.options(), chosen.selection(),
          chosen.candidates());
        return store.saveExperiment(experiment)
          .recover(failure -> StorageFailures.explain(failure, "the experiment could not be stored"))
          .compose(saved -> answer(experiment, original, points, chosen.outcomes(), chosen.reason()));
      });
    });
  }

  /** The two options shown, in option order, with their outcomes; every candidate when more were rendered. */
  private record Chosen(List<NewExperiment.Option> options, List<Outcome> outcomes, String selection, String reason,
                        List<NewExperiment.Candidate> candidates) {
  }

  /**
   * With two rendered, they are the options. With more, the reward model's predictions place them
   * ({@link CandidateSelection}); without predictions the first rendered are shown, and the reason says why.
   */
  private Future<Chosen> choose(Upload upload, StoredImage original, CandidateJudge.Plan plan,
                                List<NewExperiment.Option> rendered, List<Outcome> outcomes) {
    if (!plan.modelChooses()) {
      return Future.succeededFuture(new Chosen(rendered, outcomes, CandidateJudge.TWO_OPTIONS, plan.reason(),
        List.of()));
    }
    return judge.choose(original.imageId(), rendered, outcomes.stream().map(Outcome::image).toList(),
      upload.createdBy()).map(choice -> new Chosen(
        choice.shown().stream().map(i -> choice.candidates().get(i).rendered()).toList(),
        choice.shown().stream().map(outcomes::get).toList(), choice.selection(), choice.reason(),
        choice.candidates()));
  }

  private static List<Outcome> outcomes(io.vertx.core.CompositeFuture all) {
    List<Outcome> list = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      list.add(all.resultAt(i));
    }
    return list;
  }

  private Future<JsonObject> answer(NewExperiment experiment, StoredImage original, SuggestReply points,
                                    List<Outcome> outcomes, String selectionReason) {
    int failed = (int) outcomes.stream().filter(o -> o.error() != null).count();
    neighbours.experimentCreated(new ExperimentCreated(experiment.id(), experiment.mode(),
      outcomes.size() - failed, failed, points.strategy()));
    JsonArray options = new JsonArray();
    for (int i = 0; i < outcomes.size(); i++) {
      NewExperiment.Option option = experiment.options().get(i);
      Outcome outcome = outcomes.get(i);
      JsonObject json = new JsonObject().put("option", option.option());
      if (outcome.image() != null) {
        StoredImage image = outcome.image().image();
        json.put("url", ImageUrls.preferred(image.url(), image.publicId())).put("image_id", image.imageId());
      } else {
        json.putNull("url").putNull("image_id");
      }
      json.put("prompt_version", option.promptVersion()).put("parameters", option.parameters().toSeedJson())
        .put("status", option.status());
      if (outcome.error() != null) {
        json.put("error", new JsonObject().put("code", outcome.error().code())
          .put("message", outcome.error().getMessage()));
      }
      options.add(json);
    }
    JsonObject body = new JsonObject()
      .put("experiment_id", experiment.id())
      .put("mode", experiment.mode())
      .put("options", options)
      .put("original_url", ImageUrls.preferred(original.url(), original.publicId()))
      .put("strategy", points.strategy())
      .put("selection", experiment.selection());
    if (selectionReason != null) {
      body.put("selection_reason", selectionReason);
    }
    if (points.fallback()) {
      body.put("fallback", true).put("fallback_reason", points.fallbackReason());
    }
    if (failed == outcomes.size()) {
      // The experiment and its failed options are stored: the details let the caller retry each option.
      return Future.failedFuture(new ApiError(502, "provider_failed",
        "no variant could be generated: " + outcomes.get(0).error().getMessage()).withDetails(body));
    }
    return Future.succeededFuture(body);
  }

  /**
   * {@code count} points of the mode's study; random ones, marked as a fallback with the reason, when the optimizer
   * fails.
   */
  private Future<SuggestReply> suggestOrFallback(String mode, int count) {
    return neighbours.suggest(mode, count)
      .compose(reply -> reply.suggestions().size() >= count ? Future.succeededFuture(reply)
        : Future.failedFuture(new IllegalStateException("too few suggestions")))
      .recover(failure -> {
        String reason = fallbackReason(failure);
        neighbours.optimizerFallback(mode, reason);
        return Future.succeededFuture(new SuggestReply(
          ParameterSpace.randomPoints(count, ThreadLocalRandom.current()), SuggestReply.RANDOM_FALLBACK,
          reason));
      });
  }

  /** A small fixed vocabulary: it is shown to trainers and becomes a metric tag. */
  static String fallbackReason(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return "optimizer_timeout";
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return "optimizer_not_running";
      }
      return "optimizer_failed";
    }
    return "optimizer_invalid_reply";
  }

  private static ApiError asApiError(Throwable failure) {
    return failure instanceof ApiError error ? error : ApiError.upstream("generation failed");
  }
}
