package dev.promptlab.generation;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ImageReadRequest;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.RequestFields;
import dev.promptlab.contract.StoreImageRequest;
import dev.promptlab.contract.StoreImportedRequest;
import dev.promptlab.contract.StoredImportedPair;
import dev.promptlab.generation.image.ImageRejectedException;
import dev.promptlab.generation.image.LocalEnhancer;
import dev.promptlab.generation.memory.DecodeBudget;
import dev.promptlab.generation.memory.DecodeCost;
import dev.promptlab.generation.provider.ConsecutiveFailureBreaker;
import dev.promptlab.generation.provider.ImageProvider;
import dev.promptlab.generation.provider.ProviderCatalogue;
import dev.promptlab.generation.provider.ProviderFailure;
import dev.promptlab.generation.provider.ProviderRequest;
import dev.promptlab.generation.storage.ImageKind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores uploaded originals, renders enhanced variants through the provider chosen per request, and serves
 * image bytes — all over the bus. Validation, rendering and file I/O run off the event loop; the images
 * themselves are kept by the {@link ImageLibrary}, the providers come from the {@link ProviderCatalogue}.
 *
 * <p>Addresses: {@link Addresses#GENERATION_STORE_ORIGINAL}, {@link Addresses#GENERATION_GENERATE} (replies
 * with a {@link GeneratedImage}), {@link Addresses#GENERATION_IMAGE_READ}, {@link Addresses#GENERATION_STORE_IMPORTED}
 * and {@code Addresses.ping("generation")};
 * publishes {@link GenerationFinished} on {@link Addresses#EVENT_GENERATION_FINISHED} after every generation attempt
 * and {@link ProviderCircuitChanged} on {@link Addresses#EVENT_PROVIDER_CIRCUIT} when an external provider's
 * circuit changes state (and for each one at start).
 */
public final class GenerationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationVerticle.class);
  private static final String NAME = "generation";

  private GenerationSettings settings;
  private Pool pool;
  private WorkerExecutor renderWorkers;
  private DecodeBudget decodeBudget;
  private ProviderCatalogue.Providers providers;
  private ImageLibrary library;

  @Override
  public Future<?> start() {
    try {
      settings = GenerationSettings.from(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    } catch (ClassCastException e) {
      return Future.failedFuture(new IllegalArgumentException("a generation config value has the wrong type: "
        + e.getMessage(), e));
    }
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(settings.poolSize()))
      .connectingTo(new PgConnectOptions(settings.db())).using(vertx).build();
    decodeBudget = new DecodeBudget(settings.decodeBudgetBytes(), settings.decodeMaxWaiting());
    renderWorkers = vertx.createSharedWorkerExecutor("promptlab-generation-render", settings.renderWorkers(),
      5, TimeUnit.MINUTES);
    providers = ProviderCatalogue.build(vertx, new LocalEnhancer(settings.maxEdge()), renderWorkers,
      settings.external(), settings.providerConnections(), this::publishCircuit);
    return ImageLibrary.open(vertx, settings, new ImageQueries(pool))
      .onSuccess(opened -> library = opened)
      .compose(done -> Future.all(List.of(
        register(Addresses.GENERATION_STORE_ORIGINAL, this::storeOriginal),
        register(Addresses.GENERATION_GENERATE, this::generate),
        register(Addresses.GENERATION_IMAGE_READ, this::readImage),
        register(Addresses.GENERATION_STORE_IMPORTED, this::storeImported),
        register(Addresses.ping(NAME), message -> message.reply(PingReply.OK.toJson())))))
      .onSuccess(done -> LOG.info("generation verticle started: storage {}, providers {}, images under {}",
        settings.storageType(), settings.providerByApi(), settings.imagesDir()))
      // A fresh start has closed circuits: say so, or the gauges would keep what the last instance reported.
      .onSuccess(done -> providers.circuitBreaking().forEach(p -> publishCircuit(p.name(), p.state())))
      // A failed start is not followed by stop(): release what was opened so far.
      .recover(failure -> stop().transform(ignored -> Future.failedFuture(failure)));
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (providers != null) {
      closing.add(providers.close());
    }
    if (library != null) {
      closing.add(library.close());
    }
    if (renderWorkers != null) {
      closing.add(renderWorkers.close());
    }
    if (pool != null) {
      closing.add(pool.close());
    }
    return Future.join(closing);
  }

  private Future<Void> register(String address, Handler<Message<Object>> handler) {
    return vertx.eventBus().<Object>consumer(address, handler).completion();
  }

  private void publishCircuit(String provider, ConsecutiveFailureBreaker.State state) {
    vertx.eventBus().publish(Addresses.EVENT_PROVIDER_CIRCUIT,
      new ProviderCircuitChanged(provider, state.wire()).toJson());
  }

  // ---- GENERATION_STORE_ORIGINAL ----

  private void storeOriginal(Message<Object> message) {
    // Read on a worker: base64 text of a large upload is too slow to decode on the event loop.
    vertx.executeBlocking(() -> {
        StoreImageRequest request = StoreImageRequest.fromJson(RequestFields.body(message.body()));
        return new Upload(request, library.check(request.data()));
      }, false)
      .compose(upload -> library.store(ImageKind.ORIGINAL, upload.checked(), null, upload.request().projectId(),
        upload.request().siteVisitId(), upload.request().filename() == null ? new JsonObject()
          : new JsonObject().put("filename", upload.request().filename())))
      .onSuccess(stored -> message.reply(stored.toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, NAME));
  }

  private record Upload(StoreImageRequest request, ImageLibrary.Checked checked) {
  }

  // ---- GENERATION_STORE_IMPORTED ----

  /**
   * Both images are checked before either is written, so a refused variant leaves no stray original; a refusal
   * names the image it refused.
   */
  private void storeImported(Message<Object> message) {
    vertx.executeBlocking(() -> {
        StoreImportedRequest request = StoreImportedRequest.fromJson(RequestFields.body(message.body()));
        return new Imported(request, checkImported(StoreImportedRequest.ORIGINAL, request.original()),
          checkImported(StoreImportedRequest.ENHANCED, request.enhanced()));
      }, false)
      .compose(imported -> {
        StoreImportedRequest request = imported.request();
        return library.store(ImageKind.ORIGINAL, imported.original(), null, null, null,
            importMetadata(request.originalFilename(), request.provenance()))
          .compose(stored -> library.store(ImageKind.ENHANCED, imported.enhanced(), stored.imageId(), null,
            null, importMetadata(request.enhancedFilename(), request.provenance()))
          .map(enhanced -> new StoredImportedPair(stored, enhanced)));
      })
      .onSuccess(pair -> message.reply(pair.toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, NAME));
  }

  private ImageLibrary.Checked checkImported(String field, Buffer data) {
    try {
      return library.check(data);
    } catch (ImageRejectedException e) {
      throw new BusFailure(e.code(), StoreImportedRequest.refusal(field, e.getMessage()));
    }
  }

  private static JsonObject importMetadata(String filename, JsonObject provenance) {
    JsonObject metadata = new JsonObject().put("imported", provenance);
    return filename == null ? metadata : metadata.put("filename", filename);
  }

  private record Imported(StoreImportedRequest request, ImageLibrary.Checked original, ImageLibrary.Checked enhanced) {
  }

  // ---- GENERATION_GENERATE ----

  private void generate(Message<Object> message) {
    long started = System.nanoTime();
    GenerateRequest request;
    try {
      request = GenerateRequest.fromJson(RequestFields.body(message.body()));
    } catch (RuntimeException e) {
      BusFailure.reply(message, e, NAME);
      return;
    }
    ImageProvider provider = providers.byName().get(settings.providerByApi().get(request.parameters().api()));
    // What the provider really sends: the variant is stored and answered with these, not the requested ones.
    GenerationParameters applied = provider.applied(request.parameters());
    library.original(request.originalImageId())
      .compose(original -> reserveDecode(original).compose(lease -> library.read(original)
        .compose(bytes -> provider.generate(new ProviderRequest(bytes, original.contentType(), request.parameters(),
          request.prompt(), request.seed(), request.mode())))
        .andThen(done -> lease.close())))
      .compose(rendered -> vertx.executeBlocking(() -> checkRendered(rendered, provider), false))
      .compose(checked -> library.store(ImageKind.ENHANCED, checked, request.originalImageId(), null, null,
        generationMetadata(request, provider, applied)))
      .onComplete(outcome -> {
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (outcome.succeeded()) {
          publishFinished(provider, request.mode(), null, durationMs);
          message.reply(new GeneratedImage(outcome.result(), provider.name(), durationMs, applied).toJson());
        } else {
          publishFinished(provider, request.mode(), outcome.cause(), durationMs);
          BusFailure.reply(message, outcome.cause(), NAME);
        }
      });
  }

  /**
   * Every provider decodes the original at the start of its call (the init image, or the local render): the
   * decode's memory is reserved from the stored header's size before the call and given back after it.
   */
  private Future<DecodeBudget.Lease> reserveDecode(ImageRow original) {
    long cost = DecodeCost.of(original.contentType(), original.width(), original.height(), settings.maxEdge());
    return Future.fromCompletionStage(decodeBudget.reserve(cost), vertx.getOrCreateContext())
      .recover(failure -> Future.failedFuture(failure instanceof DecodeBudget.RefusedException refused
        ? new BusFailure(refused.refusal() == DecodeBudget.Refusal.BUSY ? FailureCodes.BUSY : FailureCodes.TOO_LARGE,
          refused.getMessage())
        : failure));
  }

  private ImageLibrary.Checked checkRendered(Buffer rendered, ImageProvider provider) {
    try {
      return library.check(rendered);
    } catch (ImageRejectedException e) {
      throw new ProviderFailure(ProviderFailure.Kind.BAD_RESPONSE,
        "provider " + provider.name() + " returned no usable image: " + e.getMessage(), e);
    }
  }

  /** {@code parameters} are the ones applied; the requested ones are kept beside them when they differ. */
  private static JsonObject generationMetadata(GenerateRequest request, ImageProvider provider,
                                               GenerationParameters applied) {
    JsonObject metadata = new JsonObject()
      .put("provider", provider.name())
      .put("mode", request.mode())
      .put("parameters", applied.toJson())
      .put("prompt_version", request.promptVersion())
      .put("seed", request.seed());
    if (!applied.equals(request.parameters())) {
      metadata.put("requested_parameters", request.parameters().toJson());
    }
    return metadata;
  }

  private void publishFinished(ImageProvider provider, String mode, Throwable failure, long durationMs) {
    String errorKind = failure == null ? null
      : failure instanceof ProviderFailure p ? p.kind().wire() : ProviderFailure.Kind.OTHER.wire();
    GenerationFinished event = new GenerationFinished(provider.name(), mode,
      failure == null ? GenerationFinished.SUCCESS : GenerationFinished.FAILURE, errorKind, durationMs);
    vertx.eventBus().publish(Addresses.EVENT_GENERATION_FINISHED, event.toJson());
  }

  // ---- GENERATION_IMAGE_READ ----

  private void readImage(Message<Object> message) {
    ImageReadRequest request;
    try {
      request = ImageReadRequest.fromJson(RequestFields.body(message.body()));
    } catch (RuntimeException e) {
      BusFailure.reply(message, e, NAME);
      return;
    }
    library.find(request.imageId())
      .compose(row -> library.read(row).onSuccess(bytes -> message.reply(bytes,
        new DeliveryOptions().addHeader(ImageReadRequest.CONTENT_TYPE_HEADER, row.contentType()))))
      .onFailure(failure -> BusFailure.reply(message, failure, NAME));
  }
}
