package dev.promptlab.http;

import dev.promptlab.contract.AbTest;
import dev.promptlab.contract.AbTestArm;
import dev.promptlab.contract.AbTests;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.DecisionReply;
import dev.promptlab.contract.Deployments;
import dev.promptlab.contract.DiffRequest;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionRuns;
import dev.promptlab.contract.EvolutionStatus;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ImageFeatures;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.contract.PredictedRating;
import dev.promptlab.contract.PromoteRequest;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptDecided;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.PromptVersionDocument;
import dev.promptlab.contract.PromptVersionSummary;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.RedeployRequest;
import dev.promptlab.contract.Redeployed;
import dev.promptlab.contract.RetrainRequest;
import dev.promptlab.contract.ActivationVerdict;
import dev.promptlab.contract.CalibrationBin;
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
import dev.promptlab.contract.VersionPerformance;
import dev.promptlab.contract.VersionRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/**
 * Small stand-ins for the http verticle's neighbours, answering on the contract's addresses with
 * contract records. Generation writes real image rows (the options reference them) and decodes
 * uploads like the real one; the optimizer keeps the observations it was taught.
 */
final class FakeNeighbours {

  static final String PROMPT_VERSION = "v1.0.0";

  final Map<Long, Buffer> images = new ConcurrentHashMap<>();
  final List<Observation> observed = new CopyOnWriteArrayList<>();
  final List<JsonObject> ratingsEvents = new CopyOnWriteArrayList<>();
  final List<JsonObject> experimentEvents = new CopyOnWriteArrayList<>();
  final List<JsonObject> fallbackEvents = new CopyOnWriteArrayList<>();
  final List<GenerateRequest> generateRequests = new CopyOnWriteArrayList<>();

  final List<String> adminActions = new CopyOnWriteArrayList<>();
  /** What the reward verticle was asked to predict; until {@link #rewardModelTrained}, it has no model. */
  final List<PredictRatingRequest> predictions = new CopyOnWriteArrayList<>();
  volatile boolean rewardModelTrained = true;
  static final RewardModelSummary REWARD_MODEL = new RewardModelSummary(2, "2026-01-02T03:04:05Z", true, "active",
    80, 20, 0.5, 0.8, 0.55, 0.7, 25, 0.84,
    List.of(new CalibrationBin(2.0, 2.5, 4, 2.31, 2.25), new CalibrationBin(3.5, 4.0, 9, 3.72, 3.89),
      new CalibrationBin(4.5, 5.0, 7, 4.62, 4.43)), new ActivationVerdict("active", 0, 0));
  /** An older model that did not beat the mean, listed after the active one. */
  static final RewardModelSummary REFUSED_REWARD_MODEL = new RewardModelSummary(1, "2026-01-01T03:04:05Z", false,
    "not better than the mean: MAE 0.731, needs at most 0.720 (baseline 0.800)", 60, 15, 0.731, 0.8, 0.4, 0.3, 21,
    0.62, List.of(new CalibrationBin(3.0, 3.5, 15, 3.2, 3.1)), new ActivationVerdict("mae_not_better", 0.731, 0.72));
  volatile String currentVersion = "v1.0.0";

  /** Generation of variants rendered by this API fails with PROVIDER_FAILED (null: none, "*": all). */
  volatile String failingApi;
  volatile boolean suggestFails;
  /** Status requests through a rating id fail (the optimizer cannot say it learnt the ratings). */
  volatile boolean learningFails;
  /** The newest rating id the fake optimizer has read from rated_variants. */
  private long learntThrough;
  /** While set, generation requests are held until it completes; each held one adds a permit to {@link #held}. */
  volatile Promise<Void> generationGate;
  final java.util.concurrent.Semaphore held = new java.util.concurrent.Semaphore(0);

  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, MessageConsumer<?>> consumers = new ConcurrentHashMap<>();
  private final Map<String, io.vertx.core.Handler<Message<Object>>> handlers = new ConcurrentHashMap<>();

  FakeNeighbours(Vertx vertx, JsonObject db) {
    this.vertx = vertx;
    this.pool = PgBuilder.pool().connectingTo(new PgConnectOptions(db)).using(vertx).build();
  }

  Future<Void> start() {
    List<Future<?>> all = new ArrayList<>();
    all.add(register(Addresses.GENERATION_STORE_ORIGINAL, this::storeOriginal));
    all.add(register(Addresses.GENERATION_GENERATE, this::generate));
    all.add(register(Addresses.GENERATION_IMAGE_READ, this::readImage));
    all.add(register(Addresses.OPTIMIZER_SUGGEST, this::suggest));
    all.add(register(Addresses.OPTIMIZER_STATUS, this::status));
    all.add(register(Addresses.EVOLUTION_ASSIGN, this::assign));
    // Evolution counts the rated variants of both modes, as the real one does.
    all.add(register(Addresses.EVOLUTION_STATUS, msg -> vertx.executeBlocking(() ->
        (int) dev.promptlab.testkit.TestDatabase.count("SELECT count(*) FROM rated_variants"))
      .onSuccess(samples -> msg.reply(new EvolutionStatus(PROMPT_VERSION, null, 10, samples, null, "offline", null,
        null).toJson()))));
    // Phase 2 as a reward verticle reports it before its first model: the rated variants it has features for.
    all.add(register(Addresses.REWARD_STATUS, msg -> vertx.executeBlocking(() ->
        (int) dev.promptlab.testkit.TestDatabase.count("SELECT count(*) FROM rated_variants"))
      .onSuccess(samples -> msg.reply(new RewardStatus(false, samples, null, "collecting data: " + samples
        + " rated variants with features", null, 0).toJson()))));
    // The reward verticle reads PNG and refuses other bytes as unsupported media; here the PNG signature decides.
    all.add(register(Addresses.REWARD_EXTRACT, msg -> {
      Buffer bytes = (Buffer) msg.body();
      if (bytes.length() < 8 || bytes.getByte(1) != 'P' || bytes.getByte(2) != 'N' || bytes.getByte(3) != 'G') {
        msg.fail(FailureCodes.UNSUPPORTED_MEDIA, "the bytes are not an image this server reads");
        return;
      }
      msg.reply(new ImageFeatures(1, Map.of("size_bytes", (double) bytes.length()), null, null).toJson());
    }));
    all.add(register(Addresses.REWARD_MODELS, msg -> msg.reply(new RewardModels(List.of(REWARD_MODEL, REFUSED_REWARD_MODEL))
      .toJson())));
    all.add(register(Addresses.REWARD_RETRAIN, msg -> {
      adminActions.add("retrain by " + RetrainRequest.fromJson((JsonObject) msg.body()).requestedBy());
      msg.reply(REWARD_MODEL.toJson());
    }));
    all.add(register(Addresses.REWARD_PREDICT, msg -> {
      if (!rewardModelTrained) {
        msg.fail(FailureCodes.NOT_FOUND, "no reward model has been trained yet");
        return;
      }
      predictions.add(PredictRatingRequest.fromJson((JsonObject) msg.body()));
      msg.reply(new PredictedRating(3.7, 0.6, 2, true).toJson());
    }));
    all.add(register(Addresses.LAUNCHER_REDEPLOY, msg -> msg.reply(new Redeployed(
      RedeployRequest.fromJson((JsonObject) msg.body()).verticle(), UUID.randomUUID().toString(),
      "2025-01-19T10:00:00Z").toJson())));
    all.add(register(Addresses.EVOLUTION_VERSIONS, msg -> msg.reply(new PromptVersions(List.of(
      version("v1.0.0", null, currentVersion.equals("v1.0.0"), 3.2),
      version("v1.0.1", "v1.0.0", currentVersion.equals("v1.0.1"), 3.9))).toJson())));
    all.add(register(Addresses.EVOLUTION_VERSION_SHOW, msg -> msg.reply(new PromptVersionDocument(
      VersionRequest.fromJson((JsonObject) msg.body()).version(), "2025-01-19T10:00:00Z", "seed", null,
      new JsonObject().put("prompt", "photorealistic interior").put("negative_prompt", "cartoon"),
      new JsonObject().put("prompt", "photorealistic interior, sd").put("negative_prompt", "sketch"),
      new VersionPerformance(3.2, 4, null, null), new JsonObject(), true).toJson())));
    all.add(register(Addresses.EVOLUTION_DIFF, msg -> msg.reply(new VersionDiff(
      DiffRequest.fromJson((JsonObject) msg.body()).from(), DiffRequest.fromJson((JsonObject) msg.body()).to(),
      "parent", new JsonObject()
        .put("prompt", new JsonObject().put("changed", true).put("added", new JsonArray()
          .add("volumetric <lighting>")).put("removed", new JsonArray().add("8k")).put("kept", 3))
        .put("negative_prompt", new JsonObject().put("changed", false).put("added", new JsonArray())
          .put("removed", new JsonArray()).put("kept", 2))
        .put("settings", new JsonObject().put("guidance_scale", new JsonObject().put("from", 7.0).put("to", 7.5))),
      null).toJson())));
    all.add(register(Addresses.EVOLUTION_PROMOTE, msg -> {
      PromoteRequest request = PromoteRequest.fromJson((JsonObject) msg.body());
      adminActions.add("promote " + request.version() + " by " + request.requestedBy());
      msg.reply(decide("promote", request.version(), request.requestedBy(), "promoted").toJson());
    }));
    all.add(register(Addresses.EVOLUTION_ROLLBACK, msg -> {
      PromoteRequest request = PromoteRequest.rollback((JsonObject) msg.body());
      adminActions.add("rollback by " + request.requestedBy());
      msg.reply(decide("rollback", "v1.0.0", request.requestedBy(), "rolled_back").toJson());
    }));
    all.add(register(Addresses.EVOLUTION_EVOLVE, msg -> {
      adminActions.add("evolve by " + ((JsonObject) msg.body()).getString("requested_by"));
      msg.reply(new EvolutionRun(1, "manual", "succeeded", "v1.0.0", "v1.0.1", "offline", "offline-rules", 10, 3.2,
        new JsonArray(), null, null, "admin@example.com", "2025-01-19T10:00:00Z", "2025-01-19T10:00:01Z", null)
        .toJson());
    }));
    all.add(register(Addresses.EVOLUTION_AB_TESTS, msg -> msg.reply(new AbTests(List.of(
      new AbTest(2, 2L, "v1.0.0", "v1.0.1", "running", 5, 3, new AbTestArm(2, 3.5, null), new AbTestArm(1, null, null),
        null, null, "2025-01-19T10:00:00Z", null),
      new AbTest(1, 1L, "v0.9.0", "v1.0.0", "decided", 5, 10, new AbTestArm(5, 3.0, 0.7), new AbTestArm(5, 3.6, 0.5),
        "promoted", new JsonObject().put("difference", 0.6).put("probability_candidate_better", 0.97)
          .put("rule", new JsonObject().put("samples_per_arm", 5).put("min_margin", 0.2).put("min_probability", 0.9))
          .put("recommendation", "promote")
          .put("reason", "candidate ahead by 0.60 stars (margin 0.20) with P(candidate better) = 0.97 ≥ 0.90"),
        "2025-01-18T10:00:00Z", "2025-01-19T09:00:00Z"))).toJson())));
    all.add(register(Addresses.EVOLUTION_HISTORY, msg -> msg.reply(new EvolutionRuns(List.of(new EvolutionRun(1,
      "periodic", "succeeded", "v1.0.0", "v1.0.1", "offline", "offline-rules", 10, 3.2,
      new JsonArray().add(new JsonObject().put("issue", "lighting").put("label", "unrealistic lighting or shadows")
        .put("count", 3).put("examples", new JsonArray().add("la luz es <plana>").add("sombras raras"))),
      new JsonObject().put("changes", new JsonArray().add("added 'volumetric lighting' to the prompt"))
        .put("reasoning", "lighting was the main complaint").put("expected_improvement", "+0.3 stars"),
      "every 10 samples", null, "2025-01-19T09:00:00Z", "2025-01-19T09:00:02Z", 2L))).toJson())));
    all.add(register(Addresses.OPTIMIZER_PHASE1_OVERRIDE, msg -> {
      JsonObject body = (JsonObject) msg.body();
      adminActions.add("phase1 " + body.getString("study") + " " + body.getBoolean("complete"));
      if (body.getBoolean("complete")) {
        phase1Overridden.add(body.getString("study"));
      } else {
        phase1Overridden.remove(body.getString("study"));
      }
      msg.reply(studyStatus(body.getString("study")).toJson());
    }));
    all.add(register(Addresses.LAUNCHER_DEPLOYMENTS, msg -> msg.reply(new Deployments(
      Map.of("optimizer", "dep-1", "http", "dep-2")).toJson())));
    for (String name : List.of("generation", "optimizer", "evolution", "metrics")) {
      all.add(register(Addresses.ping(name), msg -> msg.reply(PingReply.OK.toJson())));
    }
    all.add(vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_RATINGS_RECORDED, m -> ratingsEvents.add(m.body()))
      .completion());
    all.add(vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_EXPERIMENT_CREATED,
      m -> experimentEvents.add(m.body())).completion());
    all.add(vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_OPTIMIZER_FALLBACK,
      m -> fallbackEvents.add(m.body())).completion());
    return Future.all(all).mapEmpty();
  }

  private DecisionReply decide(String kind, String version, String by, String outcome) {
    String previous = currentVersion;
    currentVersion = version;
    return new DecisionReply(version, previous, new PromptDecided(adminActions.size(), kind, null, previous, version,
      outcome, new JsonObject(), by, null, "2025-01-19T10:00:00Z"));
  }

  /** Makes {@code address} unanswered (as when its verticle is not deployed). */
  Future<Void> silence(String address) {
    MessageConsumer<?> consumer = consumers.remove(address);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Answers {@code address} again after {@link #silence}. */
  Future<Void> restore(String address) {
    return consumers.containsKey(address) ? Future.succeededFuture() : register(address, handlers.get(address));
  }

  void reset() {
    images.clear();
    observed.clear();
    ratingsEvents.clear();
    experimentEvents.clear();
    fallbackEvents.clear();
    generateRequests.clear();
    failingApi = null;
    adminActions.clear();
    predictions.clear();
    rewardModelTrained = true;
    currentVersion = "v1.0.0";
    suggestFails = false;
    learningFails = false;
    synchronized (this) {
      learntThrough = 0;
    }
    release();
    held.drainPermits();
  }

  /** Holds every generation request from now on until {@link #release}. */
  void hold() {
    generationGate = Promise.promise();
  }

  void release() {
    Promise<Void> gate = generationGate;
    generationGate = null;
    if (gate != null) {
      gate.tryComplete();
    }
  }

  private Future<Void> register(String address, io.vertx.core.Handler<Message<Object>> handler) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, handler);
    consumers.put(address, consumer);
    handlers.put(address, handler);
    return consumer.completion();
  }

  private void storeOriginal(Message<Object> msg) {
    StoreImageRequest request = StoreImageRequest.fromJson((JsonObject) msg.body());
    byte[] bytes = request.data().getBytes();
    vertx.executeBlocking(() -> decode(bytes)).onSuccess(image -> {
      if (image == null) {
        msg.fail(FailureCodes.UNSUPPORTED_MEDIA, "the upload is not a PNG or JPEG image");
        return;
      }
      String type = bytes[0] == (byte) 0x89 ? "image/png" : "image/jpeg";
      insertImage("original", type, image.getWidth(), image.getHeight(), bytes, null)
        .onSuccess(row -> {
          images.put(row.id(), Buffer.buffer(bytes));
          msg.reply(new StoredImage(row.id(), row.publicId(), "/images/" + row.publicId(), type, image.getWidth(),
            image.getHeight()).toJson());
        })
        .onFailure(e -> msg.fail(FailureCodes.STORAGE_FAILED, e.getMessage()));
    }).onFailure(e -> msg.fail(FailureCodes.INTERNAL, e.getMessage()));
  }

  private static BufferedImage decode(byte[] bytes) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  private void generate(Message<Object> msg) {
    Promise<Void> gate = generationGate;
    if (gate != null) {
      held.release();
      gate.future().onComplete(released -> vertx.runOnContext(v -> answerGenerate(msg)));
      return;
    }
    answerGenerate(msg);
  }

  private void answerGenerate(Message<Object> msg) {
    GenerateRequest request = GenerateRequest.fromJson((JsonObject) msg.body());
    generateRequests.add(request);
    if ("*".equals(failingApi) || request.parameters().api().equals(failingApi)) {
      msg.fail(FailureCodes.PROVIDER_FAILED, "<b>" + request.parameters().api() + "</b> answered 500");
      return;
    }
    Buffer original = images.get(request.originalImageId());
    byte[] bytes = original.getBytes();
    String type = bytes[0] == (byte) 0x89 ? "image/png" : "image/jpeg";
    insertImage("enhanced", type, 64, 48, bytes, request.originalImageId()).onSuccess(row -> {
      images.put(row.id(), original);
      msg.reply(new GeneratedImage(new StoredImage(row.id(), row.publicId(), "/images/" + row.publicId(), type, 64, 48),
        "local", 12,
        applied(request.parameters())).toJson());
    }).onFailure(e -> msg.fail(FailureCodes.STORAGE_FAILED, e.getMessage()));
  }

  /** As the generation verticle answers with Leonardo behind {@code leonardo}: a whole guidance scale. */
  static GenerationParameters applied(GenerationParameters requested) {
    return ParameterSpace.LEONARDO.equals(requested.api())
      ? new GenerationParameters(requested.api(), requested.strength(), Math.round(requested.guidanceScale()),
        requested.controlWeight())
      : requested;
  }

  /** An inserted image row: the numeric id and the public id the table's default drew. */
  record ImageRow(long id, String publicId) {
  }

  private Future<ImageRow> insertImage(String kind, String type, int width, int height, byte[] bytes, Long parent) {
    return pool.preparedQuery("INSERT INTO images (kind, storage, storage_key, content_type, width, height, size_bytes,"
        + " sha256, parent_image_id) VALUES ($1, 'local', $2, $3, $4, $5, $6, $7, $8) RETURNING id, public_id")
      .execute(Tuple.from(new Object[] {kind, "fake/" + UUID.randomUUID(), type, width, height, (long) bytes.length,
        sha256(bytes), parent}))
      .map(rows -> new ImageRow(rows.iterator().next().getLong("id"), rows.iterator().next().getString("public_id")));
  }

  private void readImage(Message<Object> msg) {
    long id = ((JsonObject) msg.body()).getLong("image_id");
    Buffer data = images.get(id);
    if (data == null) {
      msg.fail(FailureCodes.NOT_FOUND, "no image " + id);
      return;
    }
    String type = data.getByte(0) == (byte) 0x89 ? "image/png" : "image/jpeg";
    msg.reply(data, new DeliveryOptions().addHeader("content-type", type));
  }

  private void suggest(Message<Object> msg) {
    SuggestRequest request = SuggestRequest.fromJson((JsonObject) msg.body());
    if (suggestFails) {
      msg.fail(FailureCodes.INTERNAL, "the model could not be fitted");
      return;
    }
    List<GenerationParameters> points = new ArrayList<>();
    for (int i = 0; i < request.count(); i++) {
      points.add(new GenerationParameters(i % 2 == 0 ? "leonardo" : "stablediffusion", 0.2 + 0.05 * i, 6.56 + i,
        0.9 - 0.01 * i));
    }
    msg.reply(new SuggestReply(points, SuggestReply.INITIAL_DESIGN, null).toJson());
  }

  /** As the optimizer does: a status through a rating id first learns the ratings after its mark from the view. */
  private void status(Message<Object> msg) {
    StatusRequest request = StatusRequest.fromJson((JsonObject) msg.body());
    if (request.throughRatingId() == 0) {
      msg.reply(studyStatus(request.study()).toJson());
      return;
    }
    if (learningFails) {
      msg.fail(FailureCodes.INTERNAL, "the model could not be updated");
      return;
    }
    long mark;
    synchronized (this) {
      mark = learntThrough;
    }
    pool.preparedQuery("SELECT rating_id, api, strength, guidance_scale, control_weight, rating, rated_by"
        + " FROM rated_variants WHERE rating_id > $1 ORDER BY rating_id").execute(Tuple.of(mark))
      .onSuccess(rows -> {
        synchronized (this) {
          rows.forEach(row -> {
            if (row.getLong("rating_id") > learntThrough) {
              learntThrough = row.getLong("rating_id");
              observed.add(new Observation(new GenerationParameters(row.getString("api"), row.getDouble("strength"),
                row.getDouble("guidance_scale"), row.getDouble("control_weight")), row.getInteger("rating"),
                row.getString("rated_by")));
            }
          });
        }
        msg.reply(studyStatus(request.study()).toJson());
      })
      .onFailure(e -> msg.fail(FailureCodes.STORAGE_FAILED, e.getMessage()));
  }

  /** Studies whose phase 1 an admin ended by hand (and did not reopen). */
  private final java.util.Set<String> phase1Overridden = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private StudyStatus studyStatus(String study) {
    Observation best = observed.stream().max((a, b) -> Double.compare(a.rating(), b.rating())).orElse(null);
    int samples = observed.size();
    boolean overridden = phase1Overridden.contains(study);
    return new StudyStatus(study, samples, best == null ? null : best.rating(), Math.min(1.0, samples / 50.0),
      Math.max(0, 50 - samples), samples >= 50 || overridden, overridden ? "override" : samples >= 50 ? "samples" : null,
      best == null ? null : best.parameters(), "gp");
  }

  private void assign(Message<Object> msg) {
    JsonObject body = (JsonObject) msg.body();
    List<PromptAssignment> list = new ArrayList<>();
    for (int i = 0; i < body.getInteger("count", 1); i++) {
      list.add(new PromptAssignment(PROMPT_VERSION, new PromptText("photorealistic interior", "cartoon"),
        new PromptText("photorealistic interior, sd", "sketch"), null));
    }
    msg.reply(new AssignReply(list).toJson());
  }

  private static PromptVersionSummary version(String name, String parent, boolean current, double avg) {
    return new PromptVersionSummary(name, parent, "2025-01-19T10:00:00Z", "seed", null, List.of(), current,
      new VersionPerformance(avg, 4, null, null));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
