package dev.promptlab.reward;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ImageFeatures;
import dev.promptlab.contract.NoArguments;
import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.contract.PredictedRating;
import dev.promptlab.contract.RetrainRequest;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardModels;
import dev.promptlab.contract.RewardProgress;
import dev.promptlab.contract.RewardStatus;
import dev.promptlab.reward.features.FeatureExtractor;
import dev.promptlab.testkit.TinyOnnxModel;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.JvmWarmUp;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys the reward verticle on a Vert.x with a tight event-loop budget against the real embedded PostgreSQL;
 * rated variants are stored in the http verticle's tables with SQL, and their image bytes served on the generation
 * verticle's address by {@link RatedImages}. Talks to the verticle only over the bus.
 */
@ExtendWith(BlockedThreadGuard.class)
class RewardVerticleTest {

  private static final GenerationParameters POINT = new GenerationParameters("leonardo", 0.3, 7, 0.9);
  private Vertx vertx;
  private RatedImages images;

  /** The first feature extraction, training and PostgreSQL array codecs load their classes once per JVM. */
  @BeforeAll
  static void payOneTimeJvmCosts() {
    JvmWarmUp.once("reward", warm -> {
      TestDatabase.reset();
      RatedImages warmImages = new RatedImages();
      warmImages.serve(warm);
      warmImages.store(12, "warm@example.com");
      String id = await(warm.deployVerticle(new RewardVerticle(), new DeploymentOptions().setConfig(config()
        .put("retrain_every", 1))));
      Eventually.until("the warm-up model", () -> await(warm.eventBus().request(Addresses.REWARD_MODELS,
        NoArguments.INSTANCE.toJson())).body() instanceof JsonObject json && !json.getJsonArray("models").isEmpty());
      await(warm.eventBus().request(Addresses.REWARD_EXTRACT, Buffer.buffer(warmImages.png())));
      await(warm.undeploy(id));
    });
  }

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    vertx = TestVertx.create();
    images = new RatedImages();
    images.serve(vertx);
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private static JsonObject config() {
    return new JsonObject().put("db", TestDatabase.pgOptions()).put("retrain_every", 20).put("min_held_out", 8)
      .put("min_pairs", 4);
  }

  private String deploy(JsonObject config) {
    return await(vertx.deployVerticle(new RewardVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private RewardStatus status() {
    return RewardStatus.fromJson((JsonObject) await(vertx.eventBus().request(Addresses.REWARD_STATUS,
      NoArguments.INSTANCE.toJson())).body());
  }

  private static long count(String sql) {
    return TestDatabase.count(sql);
  }

  @Test
  void featuresOfEveryRatedImageAreComputedAtStartAndAModelIsTrainedAndJudged() {
    images.store(60, "ana@example.com");
    List<RewardProgress> progress = new CopyOnWriteArrayList<>();
    List<RewardModelSummary> trained = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_REWARD_PROGRESS,
      event -> progress.add(RewardProgress.fromJson(event.body())));
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_REWARD_MODEL_TRAINED,
      event -> trained.add(RewardModelSummary.fromJson(event.body())));
    deploy(config());
    RewardStatus status = Eventually.value("a trained model", this::status, s -> s.latest() != null);
    // The backfill told its progress step by step, and the training its model.
    Eventually.value("the model's event", () -> trained.size(), size -> size == 1);
    assertEquals(120, progress.stream().mapToInt(RewardProgress::computed).sum());
    assertEquals(0, progress.get(progress.size() - 1).pending());
    assertEquals(status.latest(), trained.get(0));
    assertEquals(0, status.featuresPending());
    assertEquals(120, status.samples());
    assertEquals(180, count("SELECT count(*) FROM image_features"));
    assertEquals(120, count("SELECT count(*) FROM variant_structure"));
    RewardModelSummary model = status.latest();
    assertEquals(120, model.trainingRows() + model.heldOutRows());
    assertNotNull(model.mae(), "the model was judged on held-out ratings");
    // Ratings follow the degradation closely: the model beats the mean and chance and is used.
    assertTrue(model.active(), model.reason());
    assertTrue(status.active());
    assertTrue(model.pairwiseAccuracy() > 0.7, "pairwise " + model.pairwiseAccuracy());
    // The calibration covers every held-out row, and is read back from storage as it was stored.
    assertEquals(model.heldOutRows(), model.calibration().stream().mapToInt(bin -> bin.count()).sum());
    RewardModelSummary stored = RewardModels.fromJson((JsonObject) await(vertx.eventBus().request(
      Addresses.REWARD_MODELS, NoArguments.INSTANCE.toJson())).body()).models().get(0);
    assertEquals(model.calibration(), stored.calibration());
  }

  @Test
  void newRatingsAreLearntWhenTheirEventArrivesAndAModelIsRetrainedEveryNRatings() {
    deploy(config());
    assertEquals("collecting data: 0 rated variants with features", status().reason());
    images.store(10, "ana@example.com");
    vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, new JsonObject());
    RewardStatus first = Eventually.value("the first model", this::status, s -> s.latest() != null);
    assertEquals(20, first.samples());
    images.store(10, "ana@example.com");
    vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, new JsonObject());
    RewardStatus second = Eventually.value("a second model", this::status,
      s -> s.latest() != null && s.latest().version() > first.latest().version());
    assertEquals(40, second.samples());
    assertEquals(2, RewardModels.fromJson((JsonObject) await(vertx.eventBus().request(Addresses.REWARD_MODELS,
      NoArguments.INSTANCE.toJson())).body()).models().size());
  }

  @Test
  void anImageThatCannotBeReadIsLeftForTheNextPassAndTheOthersAreDone() {
    images.store(3, "ana@example.com");
    RatedImages.Experiment lost = images.experiment("ana@example.com");
    images.lose(lost.variantA());
    deploy(config().put("retrain_every", 1000));
    RewardStatus status = Eventually.value("the backfill", this::status, s -> s.samples() == 7);
    assertEquals(1, status.featuresPending());
    assertEquals(0, count("SELECT count(*) FROM image_features WHERE image_id = " + lost.variantA()));
  }

  @Test
  void predictionsComeFromTheStoredModelAndSurviveARestart() {
    PredictRatingRequest request;
    images.store(60, "ana@example.com");
    RatedImages.Experiment fresh = images.experiment("ana@example.com");
    request = new PredictRatingRequest(fresh.variantA(), fresh.original(), POINT, "v1.0.0", "ana@example.com");
    String first = deploy(config());
    Eventually.until("an active model", () -> status().active());
    PredictedRating before = PredictedRating.fromJson((JsonObject) await(vertx.eventBus().request(
      Addresses.REWARD_PREDICT, request.toJson())).body());
    assertTrue(before.predictedRating() >= 1 && before.predictedRating() <= 5);
    assertTrue(before.uncertainty() > 0);
    assertTrue(before.active());
    long models = count("SELECT count(*) FROM reward_models");
    await(vertx.undeploy(first));
    deploy(config());
    PredictedRating after = PredictedRating.fromJson((JsonObject) await(vertx.eventBus().request(
      Addresses.REWARD_PREDICT, request.toJson())).body());
    assertEquals(before, after, "the restarted verticle predicts with the stored model");
    assertEquals(models, count("SELECT count(*) FROM reward_models"), "nothing was retrained");
  }

  @Test
  void anEncoderConfiguredLaterEmbedsEveryImageAndTheNextModelReadsTheEmbedding(@TempDir Path dir) throws Exception {
    images.store(30, "ana@example.com");
    RatedImages.Experiment fresh = images.experiment("ana@example.com");
    String plain = deploy(config());
    RewardStatus before = Eventually.value("a model without embedding", this::status, s -> s.latest() != null);
    assertNull(before.embeddingModel());
    assertEquals(0, count("SELECT count(*) FROM image_features WHERE embedding IS NOT NULL"));
    await(vertx.undeploy(plain));

    Path encoder = TinyOnnxModel.write(dir.resolve("encoder.onnx"), 3, 8);
    deploy(config().put("onnx_model", encoder.toString()));
    RewardStatus after = Eventually.value("a model with the embedding", this::status,
      s -> s.latest() != null && s.latest().version() > before.latest().version());
    assertTrue(after.embeddingModel().contains("encoder.onnx"), after.embeddingModel());
    long images = count("SELECT count(*) FROM image_features");
    assertEquals(images, count("SELECT count(*) FROM image_features WHERE cardinality(embedding) = 3"),
      "the images described before were embedded");
    assertEquals(1, count("SELECT count(*) FROM reward_models WHERE id = " + after.latest().version()
      + " AND embedding_model IS NOT NULL"));
    // A variant never seen is described and embedded for its prediction.
    PredictedRating predicted = PredictedRating.fromJson((JsonObject) await(vertx.eventBus().request(
      Addresses.REWARD_PREDICT, new PredictRatingRequest(fresh.variantA(), fresh.original(), POINT, null, null)
        .toJson())).body());
    assertEquals(after.latest().version(), predicted.modelVersion());
    assertEquals(1, count("SELECT count(*) FROM image_features WHERE image_id = " + fresh.variantA()
      + " AND cardinality(embedding) = 3"));
  }

  @Test
  void predictingBeforeAnyModelIsNotFoundAndABadRequestIsInvalid() {
    RatedImages.Experiment experiment = images.experiment("ana@example.com");
    deploy(config());
    assertEquals(FailureCodes.NOT_FOUND, failureCode(Addresses.REWARD_PREDICT, new PredictRatingRequest(
      experiment.variantA(), experiment.original(), POINT, null, null).toJson()));
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.REWARD_PREDICT, new JsonObject()
      .put("variant_image_id", "seven")));
  }

  @Test
  void anAdminCanRetrainNow() {
    images.store(8, "ana@example.com");
    deploy(config().put("retrain_every", 1000));
    Eventually.until("the backfill", () -> status().samples() == 16);
    assertEquals(0, count("SELECT count(*) FROM reward_models"));
    RewardModelSummary model = RewardModelSummary.fromJson((JsonObject) await(vertx.eventBus().request(
      Addresses.REWARD_RETRAIN, new RetrainRequest("admin@example.com").toJson())).body());
    assertEquals(16, model.trainingRows() + model.heldOutRows());
    assertFalse(model.active(), "16 ratings are too few to judge a model");
    assertTrue(model.reason().startsWith("collecting data"), model.reason());
  }

  @Test
  void uploadedBytesGetTheirFeaturesAndNonImagesAreRefused() {
    deploy(config());
    ImageFeatures features = ImageFeatures.fromJson((JsonObject) await(vertx.eventBus().request(
      Addresses.REWARD_EXTRACT, Buffer.buffer(images.png()))).body());
    assertEquals(FeatureExtractor.VERSION, features.extractorVersion());
    assertTrue(features.features().containsKey("sharpness_log_laplacian_var"));
    assertEquals(null, features.embedding(), "no encoder configured");
    assertEquals(FailureCodes.UNSUPPORTED_MEDIA, failureCode(Addresses.REWARD_EXTRACT,
      Buffer.buffer("not an image")));
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.REWARD_EXTRACT, new JsonObject()));
    assertEquals(0, count("SELECT count(*) FROM image_features"), "extraction alone stores nothing");
  }

  @Test
  void aBadConfigurationOrAMissingEncoderFailsTheDeployWithTheReason() {
    Throwable noDb = assertThrows(IllegalArgumentException.class, () -> deploy(new JsonObject()));
    assertTrue(noDb.getMessage().contains("\"db\""), noDb.getMessage());
    Throwable badNumber = assertThrows(IllegalArgumentException.class,
      () -> deploy(config().put("retrain_every", 0)));
    assertTrue(badNumber.getMessage().contains("retrain_every"), badNumber.getMessage());
    Throwable noModel = assertThrows(IllegalArgumentException.class,
      () -> deploy(config().put("onnx_model", "/nonexistent/clip.onnx")));
    assertTrue(noModel.getMessage().contains("no ONNX model file"), noModel.getMessage());
  }

  private int failureCode(String address, Object body) {
    return assertThrows(ReplyException.class, () -> await(vertx.eventBus().request(address, body))).failureCode();
  }
}
