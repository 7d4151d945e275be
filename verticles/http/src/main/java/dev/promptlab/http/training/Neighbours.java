package dev.promptlab.http.training;

import dev.promptlab.contract.AbTests;
import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetUpload;
import dev.promptlab.contract.Datasets;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextPrompt;
import dev.promptlab.contract.TextPromptDeleted;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPromptSaved;
import dev.promptlab.contract.TextPromptVersions;
import dev.promptlab.contract.TextPrompts;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunCreated;
import dev.promptlab.contract.TextRunPromoted;
import dev.promptlab.contract.TextRunRequest;
import dev.promptlab.contract.TextRuns;
import dev.promptlab.contract.AbTestsRequest;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.AssignRequest;
import dev.promptlab.contract.DecisionReply;
import dev.promptlab.contract.ClusterStatus;
import dev.promptlab.contract.Deployments;
import dev.promptlab.contract.DiffRequest;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionRuns;
import dev.promptlab.contract.EvolutionStatus;
import dev.promptlab.contract.EvolveRequest;
import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.ImageFeatures;
import dev.promptlab.contract.ImageReadRequest;
import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.NoArguments;
import dev.promptlab.contract.OptimizerFallback;
import dev.promptlab.contract.Phase1Override;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.contract.PredictedRating;
import dev.promptlab.contract.PromoteRequest;
import dev.promptlab.contract.ProductionParameters;
import dev.promptlab.contract.ProductionParametersRequest;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptVersionDocument;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StoreImportedRequest;
import dev.promptlab.contract.StoredImportedPair;
import dev.promptlab.contract.RedeployRequest;
import dev.promptlab.contract.Redeployed;
import dev.promptlab.contract.RetrainRequest;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardModels;
import dev.promptlab.contract.RewardStatus;
import dev.promptlab.contract.StatusRequest;
import dev.promptlab.contract.StoreImageRequest;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.SuggestReply;
import dev.promptlab.contract.SuggestRequest;
import dev.promptlab.contract.VersionDiff;
import dev.promptlab.contract.VersionRequest;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.BusFailures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The http verticle's only way to reach the other verticles: typed requests over the contract's
 * addresses, each with its timeout, failures already mapped to {@link ApiError}s.
 */
public final class Neighbours {

  /**
   * Timeouts of the different kinds of requests, in milliseconds: {@code work} for rendering, evolution and dataset
   * uploads, {@code quick} for the optimizer, statuses and the other short requests ({@code optimizer_timeout_ms}).
   */
  public record Timeouts(long work, long quick, long ping, long redeploy) {
  }

  private final EventBus bus;
  private final Timeouts timeouts;

  public Neighbours(Vertx vertx, Timeouts timeouts) {
    this.bus = vertx.eventBus();
    this.timeouts = timeouts;
  }

  public Future<StoredImage> storeOriginal(StoreImageRequest request) {
    return request("generation", Addresses.GENERATION_STORE_ORIGINAL, request.toJson(), timeouts.work(),
      StoredImage::fromJson);
  }

  /** The raw bus failure is kept (no mapping) so the caller can fall back to random parameters and say why. */
  /** Stores an imported original and its enhanced variant. */
  public Future<StoredImportedPair> storeImported(StoreImportedRequest request) {
    return request("generation", Addresses.GENERATION_STORE_IMPORTED, request.toJson(), timeouts.work(),
      StoredImportedPair::fromJson);
  }

  public Future<SuggestReply> suggest(String mode, int count) {
    return bus.<JsonObject>request(Addresses.OPTIMIZER_SUGGEST, new SuggestRequest(mode, count).toJson(),
      new DeliveryOptions().setSendTimeout(timeouts.quick())).map(reply -> SuggestReply.fromJson(reply.body()));
  }

  public Future<List<PromptAssignment>> assign(String mode, int count) {
    return request("evolution", Addresses.EVOLUTION_ASSIGN, new AssignRequest(mode, count).toJson(),
      timeouts.work(), json -> AssignReply.fromJson(json).assignments());
  }

  /** Renders one variant. */
  public Future<GeneratedImage> generate(GenerateRequest request) {
    return request("generation", Addresses.GENERATION_GENERATE, request.toJson(), timeouts.work(),
      GeneratedImage::fromJson);
  }

  public Future<StudyStatus> studyStatus(String mode) {
    return studyStatus(new StatusRequest(mode, 0));
  }

  /** The study's status; with a rating id, once the optimizer has learnt every rating up to it. */
  public Future<StudyStatus> studyStatus(StatusRequest request) {
    return request("optimizer", Addresses.OPTIMIZER_STATUS, request.toJson(), timeouts.quick(),
      StudyStatus::fromJson);
  }

  /** Phase 2: the reward verticle's status. */
  public Future<RewardStatus> rewardStatus() {
    return request("reward", Addresses.REWARD_STATUS, NoArguments.INSTANCE.toJson(), timeouts.quick(),
      RewardStatus::fromJson);
  }

  /**
   * Phase 2's status within {@code timeoutMs}, for the enhance flow: the raw bus failure is kept (no mapping) so
   * the upload can go on without the model and say why.
   */
  public Future<RewardStatus> rewardStatus(long timeoutMs) {
    return bus.<JsonObject>request(Addresses.REWARD_STATUS, NoArguments.INSTANCE.toJson(),
      new DeliveryOptions().setSendTimeout(timeoutMs)).map(reply -> RewardStatus.fromJson(reply.body()));
  }

  /** A candidate's predicted rating within {@code timeoutMs}; the raw bus failure is kept, as for the status. */
  public Future<PredictedRating> predictRating(PredictRatingRequest request, long timeoutMs) {
    return bus.<JsonObject>request(Addresses.REWARD_PREDICT, request.toJson(),
      new DeliveryOptions().setSendTimeout(timeoutMs)).map(reply -> PredictedRating.fromJson(reply.body()));
  }

  /** Every trained reward model with its held-out figures. */
  public Future<RewardModels> rewardModels() {
    return request("reward", Addresses.REWARD_MODELS, NoArguments.INSTANCE.toJson(), timeouts.quick(),
      RewardModels::fromJson);
  }

  /** Trains a reward model now; may take seconds on thousands of ratings. */
  public Future<RewardModelSummary> retrainReward(String requestedBy) {
    return request("reward", Addresses.REWARD_RETRAIN, new RetrainRequest(requestedBy).toJson(), timeouts.work(),
      RewardModelSummary::fromJson);
  }

  /** The reward model's rating of a stored variant (its features are computed first when missing). */
  public Future<PredictedRating> predictRating(PredictRatingRequest request) {
    return request("reward", Addresses.REWARD_PREDICT, request.toJson(), timeouts.work(), PredictedRating::fromJson);
  }

  /** The reward model's features of uploaded image bytes (nothing is stored). */
  public Future<ImageFeatures> extractFeatures(Buffer image) {
    return bus.<Object>request(Addresses.REWARD_EXTRACT, image, new DeliveryOptions().setSendTimeout(timeouts.work()))
      .recover(failure -> Future.failedFuture(BusFailures.toApiError("reward", failure)))
      .compose(reply -> reply.body() instanceof JsonObject json
        ? Future.succeededFuture(ImageFeatures.fromJson(json))
        : Future.failedFuture(ApiError.upstream("reward sent an answer that does not follow the contract")));
  }

  /** The current prompt version and the parameters production uses for a mode and API. */
  public Future<ProductionParameters> productionParameters(ProductionParametersRequest request) {
    return request("evolution", Addresses.EVOLUTION_PRODUCTION_PARAMETERS, request.toJson(), timeouts.quick(),
      ProductionParameters::fromJson);
  }

  public Future<EvolutionStatus> evolutionStatus() {
    return request("evolution", Addresses.EVOLUTION_STATUS, NoArguments.INSTANCE.toJson(), timeouts.quick(),
      EvolutionStatus::fromJson);
  }

  public Future<ImageBytes> readImage(long imageId) {
    return bus.<Object>request(Addresses.GENERATION_IMAGE_READ, new ImageReadRequest(imageId).toJson(),
        new DeliveryOptions().setSendTimeout(timeouts.work()))
      .recover(failure -> Future.failedFuture(BusFailures.toApiError("generation", failure)))
      .compose(reply -> reply.body() instanceof Buffer data
        ? Future.succeededFuture(new ImageBytes(data, reply.headers().get(ImageReadRequest.CONTENT_TYPE_HEADER)))
        : Future.failedFuture(ApiError.upstream("generation sent an image read answer without bytes")));
  }

  public Future<Redeployed> redeploy(String verticle) {
    return request("launcher", Addresses.LAUNCHER_REDEPLOY, new RedeployRequest(verticle).toJson(),
      timeouts.redeploy(), Redeployed::fromJson);
  }

  /** Succeeds when the verticle answers its ping with {@code {"ok": true}} in time. */
  public Future<Void> ping(String verticle) {
    return bus.<JsonObject>request(Addresses.ping(verticle), NoArguments.INSTANCE.toJson(),
        new DeliveryOptions().setSendTimeout(timeouts.ping()))
      .compose(reply -> PingReply.fromJson(reply.body()).ok() ? Future.<Void>succeededFuture()
        : Future.failedFuture(verticle + " answered its ping without ok"));
  }

  /** Prompt versions with their performance, newest first. */
  public Future<PromptVersions> promptVersions() {
    return request("evolution", Addresses.EVOLUTION_VERSIONS, NoArguments.INSTANCE.toJson(), timeouts.quick(),
      PromptVersions::fromJson);
  }

  public Future<PromptVersionDocument> promptVersion(String version) {
    return request("evolution", Addresses.EVOLUTION_VERSION_SHOW, new VersionRequest(version).toJson(),
      timeouts.quick(), PromptVersionDocument::fromJson);
  }

  public Future<VersionDiff> promptDiff(String from, String to) {
    return request("evolution", Addresses.EVOLUTION_DIFF, new DiffRequest(from, to).toJson(),
      timeouts.quick(), VersionDiff::fromJson);
  }

  /** A manual evolution; it runs the LLM, so it gets the long timeout. */
  public Future<EvolutionRun> evolve(String requestedBy) {
    return request("evolution", Addresses.EVOLUTION_EVOLVE, new EvolveRequest(requestedBy).toJson(),
      timeouts.work(), EvolutionRun::fromJson);
  }

  public Future<DecisionReply> promote(String version, String requestedBy, String reason) {
    return request("evolution", Addresses.EVOLUTION_PROMOTE, new PromoteRequest(version, requestedBy, reason).toJson(),
      timeouts.quick(), DecisionReply::fromJson);
  }

  /** Restores {@code version}, or (null) the version that was current before the current one. */
  public Future<DecisionReply> rollback(String version, String requestedBy) {
    return request("evolution", Addresses.EVOLUTION_ROLLBACK, new PromoteRequest(version, requestedBy, null).toJson(),
      timeouts.quick(), DecisionReply::fromJson);
  }

  public Future<AbTests> abTests(int limit) {
    return request("evolution", Addresses.EVOLUTION_AB_TESTS, new AbTestsRequest(null, limit).toJson(),
      timeouts.quick(), AbTests::fromJson);
  }

  public Future<EvolutionRuns> evolutions(int limit) {
    return request("evolution", Addresses.EVOLUTION_HISTORY, new ListRequest(limit).toJson(),
      timeouts.quick(), EvolutionRuns::fromJson);
  }

  /** Ends (or reopens) phase 1 of a study by hand. */
  public Future<StudyStatus> phase1Override(String study, boolean complete) {
    return request("optimizer", Addresses.OPTIMIZER_PHASE1_OVERRIDE,
      new Phase1Override(study, complete).toJson(), timeouts.quick(), StudyStatus::fromJson);
  }

  /** What the launcher has deployed. */
  public Future<Deployments> deployments() {
    return request("launcher", Addresses.LAUNCHER_DEPLOYMENTS, NoArguments.INSTANCE.toJson(), timeouts.ping(),
      Deployments::fromJson);
  }

  /** The cluster as this node's launcher sees it (cluster mode only: elsewhere nobody answers). */
  public Future<ClusterStatus> cluster() {
    return request("launcher", Addresses.LAUNCHER_CLUSTER, NoArguments.INSTANCE.toJson(), timeouts.ping(),
      ClusterStatus::fromJson);
  }

  // ---- textopt: datasets, text prompts and runs (/api/v1) ----

  /** Validates, splits and stores a dataset file; reading a large one takes a while, so it gets the long timeout. */
  public Future<DatasetReport> createDataset(DatasetUpload upload) {
    return request("textopt", Addresses.TEXTOPT_DATASET_CREATE, upload.toJson(), timeouts.work(),
      DatasetReport::fromJson);
  }

  public Future<Datasets> datasets(ListRequest request) {
    return request("textopt", Addresses.TEXTOPT_DATASETS, request.toJson(), timeouts.quick(), Datasets::fromJson);
  }

  public Future<DatasetReport> dataset(long id) {
    return request("textopt", Addresses.TEXTOPT_DATASET_SHOW, new RecordId(id, null).toJson(), timeouts.quick(),
      DatasetReport::fromJson);
  }

  public Future<TextPromptSaved> createTextPrompt(TextPromptDraft draft) {
    return request("textopt", Addresses.TEXTOPT_PROMPT_CREATE, draft.toJson(), timeouts.quick(),
      TextPromptSaved::fromJson);
  }

  public Future<TextPromptSaved> updateTextPrompt(TextPromptDraft draft) {
    return request("textopt", Addresses.TEXTOPT_PROMPT_UPDATE, draft.toJson(), timeouts.quick(),
      TextPromptSaved::fromJson);
  }

  public Future<TextPromptDeleted> deleteTextPrompt(long id, String requestedBy) {
    return request("textopt", Addresses.TEXTOPT_PROMPT_DELETE, new RecordId(id, requestedBy).toJson(),
      timeouts.quick(), TextPromptDeleted::fromJson);
  }

  public Future<TextPrompts> textPrompts(ListRequest request) {
    return request("textopt", Addresses.TEXTOPT_PROMPTS, request.toJson(), timeouts.quick(),
      TextPrompts::fromJson);
  }

  public Future<TextPrompt> textPrompt(long id) {
    return request("textopt", Addresses.TEXTOPT_PROMPT_SHOW, new RecordId(id, null).toJson(), timeouts.quick(),
      TextPrompt::fromJson);
  }

  public Future<TextPromptVersions> textPromptVersions(long id) {
    return request("textopt", Addresses.TEXTOPT_PROMPT_VERSIONS, new RecordId(id, null).toJson(),
      timeouts.quick(), TextPromptVersions::fromJson);
  }

  public Future<TextRunCreated> createTextRun(TextRunRequest request) {
    return request("textopt", Addresses.TEXTOPT_RUN_CREATE, request.toJson(), timeouts.quick(),
      TextRunCreated::fromJson);
  }

  public Future<TextRuns> textRuns(ListRequest request) {
    return request("textopt", Addresses.TEXTOPT_RUNS, request.toJson(), timeouts.quick(), TextRuns::fromJson);
  }

  public Future<TextRun> textRun(long id) {
    return request("textopt", Addresses.TEXTOPT_RUN_SHOW, new RecordId(id, null).toJson(), timeouts.quick(),
      TextRun::fromJson);
  }

  public Future<TextRun> cancelTextRun(long id, String requestedBy) {
    return request("textopt", Addresses.TEXTOPT_RUN_CANCEL, new RecordId(id, requestedBy).toJson(), timeouts.quick(),
      TextRun::fromJson);
  }

  public Future<TextRunPromoted> promoteTextRun(long id, String requestedBy) {
    return request("textopt", Addresses.TEXTOPT_RUN_PROMOTE, new RecordId(id, requestedBy).toJson(),
      timeouts.quick(), TextRunPromoted::fromJson);
  }

  public void experimentCreated(ExperimentCreated event) {
    bus.publish(Addresses.EVENT_EXPERIMENT_CREATED, event.toJson());
  }

  public void ratingsRecorded(RatingsRecorded event) {
    bus.publish(Addresses.EVENT_RATINGS_RECORDED, event.toJson());
  }

  public void optimizerFallback(String study, String reason) {
    bus.publish(Addresses.EVENT_OPTIMIZER_FALLBACK, new OptimizerFallback(study, reason).toJson());
  }

  private <T> Future<T> request(String service, String address, JsonObject body, long timeoutMs,
                                Function<JsonObject, T> decode) {
    return bus.<Object>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
      .recover(failure -> Future.failedFuture(BusFailures.toApiError(service, failure)))
      .compose(reply -> {
        try {
          if (!(reply.body() instanceof JsonObject)) {
            throw new IllegalArgumentException("not a JSON object");
          }
          return Future.succeededFuture(decode.apply((JsonObject) reply.body()));
        } catch (RuntimeException e) {
          return Future.failedFuture(ApiError.upstream(service + " sent an answer that does not follow the contract"));
        }
      });
  }
}
