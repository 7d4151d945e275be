package dev.promptlab.reward;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ImageFeatures;
import dev.promptlab.contract.ImageReadRequest;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.contract.PredictedRating;
import dev.promptlab.contract.RequestFields;
import dev.promptlab.contract.RetrainRequest;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardModels;
import dev.promptlab.contract.RewardProgress;
import dev.promptlab.contract.RewardStatus;
import dev.promptlab.reward.embedding.OnnxImageEncoder;
import dev.promptlab.reward.features.FeatureExtractor;
import dev.promptlab.reward.features.FeatureVector;
import dev.promptlab.reward.features.StructureComparison;
import dev.promptlab.reward.model.RatedVariant;
import dev.promptlab.reward.model.RewardModel;
import dev.promptlab.reward.model.RewardTrainer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 2 over the bus: features of every rated image, a reward model retrained as ratings arrive, and its
 * predictions.
 *
 * <ul>
 *   <li><b>Features.</b> At start and on every {@link Addresses#EVENT_RATINGS_RECORDED} a backfill pass finds the
 *       rated variants (from the http verticle's view {@code rated_variants}) whose images lack features of the
 *       current extractor version, reads their bytes from the generation verticle ({@link
 *       Addresses#GENERATION_IMAGE_READ}), and computes them on a worker: the variant's and its original's
 *       features, the structure comparison, and the embedding when an ONNX encoder is configured. Progress is
 *       logged and published ({@link Addresses#EVENT_REWARD_PROGRESS}) per batch; an image that cannot be read is
 *       logged and left for the next pass.</li>
 *   <li><b>Training.</b> After a pass, once {@code retrain_every} more rated variants have features than the
 *       newest model was trained on (or on {@link Addresses#REWARD_RETRAIN}), a model is trained on a worker and
 *       stored with its held-out figures and published ({@link Addresses#EVENT_REWARD_MODEL_TRAINED}); it becomes
 *       active only if {@link dev.promptlab.reward.model.ActivationRule} allows.</li>
 *   <li><b>Answers.</b> {@link Addresses#REWARD_STATUS}, {@link Addresses#REWARD_MODELS},
 *       {@link Addresses#REWARD_PREDICT} (the active model, else the newest, marked not active) and
 *       {@link Addresses#REWARD_EXTRACT} (features of uploaded bytes, nothing stored).</li>
 * </ul>
 * Backfill and training run one at a time, in one lane; a trigger during a run asks for one more run after it.
 */
public final class RewardVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RewardVerticle.class);

  private RewardSettings settings;
  private Pool pool;
  private RewardStore store;
  private WorkerExecutor workers;
  private OnnxImageEncoder encoder;
  private final ThreadLocal<FeatureExtractor> extractors = ThreadLocal.withInitial(FeatureExtractor::new);
  private final ThreadLocal<StructureComparison> comparisons = ThreadLocal.withInitial(StructureComparison::new);
  private RewardTrainer trainer;
  private volatile RewardStore.StoredModel current;
  private boolean running;
  private boolean runAgain;
  private boolean forceTraining;
  private boolean stopped;
  private Future<Void> lastRun = Future.succeededFuture();

  @Override
  public Future<?> start() {
    try {
      settings = RewardSettings.from(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(settings.poolSize()))
      .connectingTo(new PgConnectOptions(settings.db())).using(vertx).build();
    trainer = new RewardTrainer(settings.activation());
    workers = vertx.createSharedWorkerExecutor("promptlab-reward", settings.extractThreads());
    Future<Void> loadEncoder = settings.onnxModel() == null ? Future.succeededFuture()
      : blocking(() -> OnnxImageEncoder.load(Path.of(settings.onnxModel()), OnnxImageEncoder.CLIP_MEAN,
          OnnxImageEncoder.CLIP_STD, settings.onnxThreads()))
        .onSuccess(loaded -> {
          encoder = loaded;
          LOG.info("reward: learned embedding from {}", loaded.description());
        }).mapEmpty();
    return loadEncoder
      .compose(v -> {
        store = new RewardStore(pool, FeatureExtractor.VERSION, embeddingModel());
        return store.newestModel();
      })
      .compose(model -> {
        current = model.orElse(null);
        return Future.all(List.of(
          vertx.eventBus().<Object>consumer(Addresses.REWARD_STATUS, this::status).completion(),
          vertx.eventBus().<Object>consumer(Addresses.REWARD_MODELS, this::models).completion(),
          vertx.eventBus().<Object>consumer(Addresses.REWARD_RETRAIN, this::retrain).completion(),
          vertx.eventBus().<Object>consumer(Addresses.REWARD_PREDICT, this::predict).completion(),
          vertx.eventBus().<Object>consumer(Addresses.REWARD_EXTRACT, this::extract).completion(),
          vertx.eventBus().<Object>consumer(Addresses.EVENT_RATINGS_RECORDED, event -> schedule(false))
            .completion(),
          vertx.eventBus().consumer(Addresses.ping("reward"), m -> m.reply(PingReply.OK.toJson())).completion()));
      })
      .onSuccess(v -> {
        LOG.info("reward: {}", current == null ? "no model yet" : "model " + current.summary().version() + " ("
          + current.summary().reason() + ")");
        schedule(false);
      });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    // A pass in flight finishes its current image; nothing new starts.
    return lastRun.transform(ignored -> {
      if (encoder != null) {
        encoder.close();
      }
      workers.close();
      return pool.close();
    });
  }

  // ------------------------------------------------------------------ backfill and training

  private void schedule(boolean force) {
    forceTraining |= force;
    if (stopped) {
      return;
    }
    if (running) {
      runAgain = true;
      return;
    }
    running = true;
    boolean train = forceTraining;
    forceTraining = false;
    lastRun = backfill(0L, 0).compose(done -> maybeTrain(train)).transform(result -> {
      if (result.failed()) {
        LOG.warn("reward: a backfill or training pass failed; the next rating retries: {}",
          String.valueOf(result.cause()));
      }
      running = false;
      if (runAgain) {
        runAgain = false;
        schedule(false);
      }
      return Future.succeededFuture();
    });
  }

  /** Computes what the rated variants after {@code after} lack, a batch at a time; the count of variants done. */
  private Future<Integer> backfill(long after, int done) {
    if (stopped) {
      return Future.succeededFuture(done);
    }
    return store.pending(after, settings.backfillBatch()).compose(batch -> {
      if (batch.isEmpty()) {
        if (done > 0) {
          LOG.info("reward: features computed for {} rated variants", done);
        }
        return Future.succeededFuture(done);
      }
      Future<Integer> chain = Future.succeededFuture(0);
      for (RewardStore.PendingVariant variant : batch) {
        chain = chain.compose(count -> complete(variant).map(ok -> ok ? count + 1 : count));
      }
      long last = batch.get(batch.size() - 1).variantImageId();
      return chain.compose(computed -> store.pendingCount().compose(left -> {
        LOG.info("reward: features of {} rated variants computed, {} still waiting", done + computed, left);
        vertx.eventBus().publish(Addresses.EVENT_REWARD_PROGRESS,
          new RewardProgress(computed, batch.size() - computed, left).toJson());
        return backfill(last, done + computed);
      }));
    });
  }

  /** Stores what one rated variant lacks; false (logged) when an image could not be read. */
  private Future<Boolean> complete(RewardStore.PendingVariant pending) {
    return Future.all(read(pending.variantImageId()), read(pending.originalImageId()))
      .compose(images -> blocking(() -> {
        BufferedImage variant = ImageDecoding.decode(images.<Buffer>resultAt(0).getBytes());
        BufferedImage original = ImageDecoding.decode(images.<Buffer>resultAt(1).getBytes());
        return new Computed(pending.variantDone() ? null : describe(variant),
          pending.originalDone() ? null : describe(original),
          pending.structureDone() ? null : comparisons.get().compare(original, variant));
      }))
      .compose(computed -> Future.all(
          computed.variant() == null ? Future.succeededFuture() : store.saveFeatures(pending.variantImageId(),
            computed.variant().features(), embeddingModel(), computed.variant().embedding()),
          computed.original() == null ? Future.succeededFuture() : store.saveFeatures(pending.originalImageId(),
            computed.original().features(), embeddingModel(), computed.original().embedding()),
          computed.structure() == null ? Future.succeededFuture() : store.saveStructure(pending.variantImageId(),
            pending.originalImageId(), computed.structure()))
        .map(true))
      .recover(failure -> {
        LOG.warn("reward: no features for variant image {} (original {}) this pass: {}", pending.variantImageId(),
          pending.originalImageId(), failure.getMessage());
        return Future.succeededFuture(false);
      });
  }

  private record Described(FeatureVector features, float[] embedding) {
  }

  private record Computed(Described variant, Described original, FeatureVector structure) {
  }

  private Described describe(BufferedImage image) {
    return new Described(extractors.get().extract(image), encoder == null ? null : encoder.embed(image));
  }

  private String embeddingModel() {
    return encoder == null ? null : encoder.description();
  }

  private Future<Buffer> read(long imageId) {
    return vertx.eventBus().<Buffer>request(Addresses.GENERATION_IMAGE_READ, new ImageReadRequest(imageId).toJson(),
        new DeliveryOptions().setSendTimeout(settings.imageReadTimeoutMs()))
      .map(Message::body);
  }

  private Future<Void> maybeTrain(boolean force) {
    return store.trainable().compose(counts -> {
      long samples = counts[0];
      long through = counts[1];
      long trainedOn = current == null ? 0
        : current.summary().trainingRows() + current.summary().heldOutRows();
      if (!force && samples - trainedOn < settings.retrainEvery()) {
        return Future.succeededFuture();
      }
      return train(through).mapEmpty();
    });
  }

  private Future<RewardModelSummary> train(long throughRatingId) {
    return store.trainingRows()
      .compose(rows -> blocking(() -> trainer.train(rows)))
      .compose(outcome -> store.saveModel(outcome, throughRatingId, embeddingModel()).map(summary -> {
        // Set in the same task as the commit's answer, so no status or prediction sees one without the other.
        // The model in use is the active one; without any, the newest for inspection (as at start).
        RewardStore.StoredModel before = current;
        if (outcome.model() != null && (outcome.active() || before == null || !before.summary().active())) {
          current = new RewardStore.StoredModel(summary, throughRatingId, outcome.model());
        }
        LOG.info("reward: model {} trained on {} + {} held out: {}", summary.version(), summary.trainingRows(),
          summary.heldOutRows(), summary.reason());
        vertx.eventBus().publish(Addresses.EVENT_REWARD_MODEL_TRAINED, summary.toJson());
        return summary;
      }));
  }

  // ------------------------------------------------------------------ answers

  private void status(Message<Object> message) {
    Future.all(store.trainable(), store.models(), store.pendingCount()).onSuccess(all -> {
      long[] counts = all.resultAt(0);
      List<RewardModelSummary> models = all.resultAt(1);
      RewardModelSummary latest = models.isEmpty() ? null : models.get(0);
      // From the stored models, not the one in memory: a model stored a moment ago is loaded just after.
      Optional<RewardModelSummary> inUse = models.stream().filter(RewardModelSummary::active).findFirst();
      boolean active = inUse.isPresent();
      String reason = active ? "active: model " + inUse.get().version()
        : latest != null ? latest.reason() : "collecting data: " + counts[0] + " rated variants with features";
      message.reply(new RewardStatus(active, (int) counts[0], latest, reason, embeddingModel(),
        all.<Integer>resultAt(2)).toJson());
    }).onFailure(failure -> BusFailure.reply(message, failure, "reward"));
  }

  private void models(Message<Object> message) {
    store.models().onSuccess(list -> message.reply(new RewardModels(list).toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, "reward"));
  }

  private void retrain(Message<Object> message) {
    RetrainRequest request;
    try {
      request = RetrainRequest.fromJson(RequestFields.body(message.body()));
    } catch (IllegalArgumentException e) {
      BusFailure.reply(message, e, "reward");
      return;
    }
    LOG.info("reward: retraining requested by {}", request.requestedBy());
    // After any pass in flight, so the model sees the features it is computing.
    Promise<RewardModelSummary> trained = Promise.promise();
    lastRun.transform(ignored -> store.trainable()).compose(counts -> train(counts[1]))
      .onComplete(trained);
    trained.future().onSuccess(summary -> message.reply(summary.toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, "reward"));
  }

  private void predict(Message<Object> message) {
    PredictRatingRequest request;
    try {
      request = PredictRatingRequest.fromJson(RequestFields.body(message.body()));
    } catch (IllegalArgumentException e) {
      BusFailure.reply(message, e, "reward");
      return;
    }
    RewardStore.StoredModel model = current;
    if (model == null) {
      BusFailure.reply(message, BusFailure.notFound("no reward model has been trained yet"), "reward");
      return;
    }
    inputs(request).compose(variant -> blocking(() -> model.model().predict(variant)))
      .onSuccess(p -> message.reply(new PredictedRating(p.rating(), p.uncertainty(), model.summary().version(),
        model.summary().active()).toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, "reward"));
  }

  /** The variant as the model reads it: stored features, computed now (and stored) when missing. */
  private Future<RatedVariant> inputs(PredictRatingRequest request) {
    return stored(request).compose(found -> {
      if (found.complete()) {
        return Future.succeededFuture(found);
      }
      RewardStore.PendingVariant pending = new RewardStore.PendingVariant(request.variantImageId(),
        request.originalImageId(), found.described(found.variant()), found.described(found.original()),
        found.structure().isPresent());
      return complete(pending).compose(ok -> ok ? stored(request)
        : Future.failedFuture(BusFailure.notFound("image " + request.variantImageId() + " or "
          + request.originalImageId() + " cannot be read")));
    }).map(found -> {
      GenerationParameters p = request.parameters();
      RewardStore.StoredFeatures variant = found.variant().orElseThrow();
      return new RatedVariant(0, 0, RewardStore.raterId(request.rater()), variant.features(),
        found.original().orElseThrow().features(), found.structure().orElseThrow(), p.api(), request.promptVersion(),
        new double[] {p.strength(), p.guidanceScale(), p.controlWeight()}, variant.embedding(), 0);
    });
  }

  /** What is stored of a variant; with an encoder configured, an image counts as described once it is embedded. */
  private record Stored(Optional<RewardStore.StoredFeatures> variant, Optional<RewardStore.StoredFeatures> original,
                        Optional<FeatureVector> structure, boolean embedding) {

    boolean described(Optional<RewardStore.StoredFeatures> image) {
      return image.isPresent() && (!embedding || image.get().embedding() != null);
    }

    boolean complete() {
      return described(variant) && described(original) && structure.isPresent();
    }
  }

  private Future<Stored> stored(PredictRatingRequest request) {
    Future<Optional<RewardStore.StoredFeatures>> variant = store.features(request.variantImageId());
    Future<Optional<RewardStore.StoredFeatures>> original = store.features(request.originalImageId());
    Future<Optional<FeatureVector>> structure = store.structure(request.variantImageId());
    return Future.all(variant, original, structure)
      .map(all -> new Stored(variant.result(), original.result(), structure.result(), encoder != null));
  }

  private void extract(Message<Object> message) {
    if (!(message.body() instanceof Buffer bytes) || bytes.length() == 0) {
      BusFailure.reply(message, BusFailure.invalid("the request body must be the image's bytes"), "reward");
      return;
    }
    blocking(() -> {
      BufferedImage image = ImageDecoding.decode(bytes.getBytes());
      Described described = describe(image);
      List<Double> embedding = null;
      if (described.embedding() != null) {
        Double[] boxed = new Double[described.embedding().length];
        for (int i = 0; i < boxed.length; i++) {
          boxed[i] = (double) described.embedding()[i];
        }
        embedding = List.of(boxed);
      }
      return new ImageFeatures(described.features().extractorVersion(), described.features().asMap(),
        embeddingModel(), embedding);
    }).onSuccess(features -> message.reply(features.toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, "reward"));
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }
}
