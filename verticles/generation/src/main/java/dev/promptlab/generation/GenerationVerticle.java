package dev.promptlab.generation;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerateRequest;
import dev.promptlab.contract.GeneratedImage;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.StoredImage;
import dev.promptlab.generation.image.ImageInfo;
import dev.promptlab.generation.image.ImageRejectedException;
import dev.promptlab.generation.memory.DecodeBudget;
import dev.promptlab.generation.memory.DecodeCost;
import dev.promptlab.generation.image.LocalEnhancer;
import dev.promptlab.generation.image.UploadValidator;
import dev.promptlab.generation.provider.Automatic1111Provider;
import dev.promptlab.generation.provider.CircuitBreakingProvider;
import dev.promptlab.generation.provider.ConsecutiveFailureBreaker;
import dev.promptlab.generation.provider.ImageProvider;
import dev.promptlab.generation.provider.LeonardoProvider;
import dev.promptlab.generation.provider.LocalImageProvider;
import dev.promptlab.generation.provider.ProviderFailure;
import dev.promptlab.generation.provider.ProviderRequest;
import dev.promptlab.generation.provider.ReplicateProvider;
import dev.promptlab.generation.provider.ResilienceSettings;
import dev.promptlab.generation.storage.ImageKind;
import dev.promptlab.generation.storage.ImageStorage;
import dev.promptlab.generation.storage.LocalImageStorage;
import dev.promptlab.generation.storage.S3ImageStorage;
import dev.promptlab.generation.storage.StorageKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores uploaded originals, renders enhanced variants through the provider chosen per request, and serves
 * image bytes — all over the bus. Validation, rendering and file I/O run off the event loop; a stored file
 * without its {@code images} row is removed again, so a failure leaves nothing half made.
 *
 * <p>Addresses: {@link Addresses#GENERATION_STORE_ORIGINAL}, {@link Addresses#GENERATION_GENERATE} (replies
 * with a {@link GeneratedImage}), {@link Addresses#GENERATION_IMAGE_READ} and {@code Addresses.ping("generation")};
 * publishes {@link GenerationFinished} on {@link Addresses#EVENT_GENERATION_FINISHED} after every generation attempt
 * and {@link ProviderCircuitChanged} on {@link Addresses#EVENT_PROVIDER_CIRCUIT} when an external provider's
 * circuit changes state (and for each one at start).
 */
public final class GenerationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationVerticle.class);
  private static final int MAX_REFERENCE_LENGTH = 200;
  private static final int MAX_FILENAME_LENGTH = 255;

  private GenerationSettings settings;
  private Pool pool;
  private ImageQueries queries;
  private UploadValidator validator;
  private WorkerExecutor renderWorkers;
  private ImageStorage writeStorage;
  private final Map<String, ImageStorage> storageByType = new LinkedHashMap<>();
  private final Map<String, ImageProvider> providerByApi = new LinkedHashMap<>();
  private final List<ImageProvider> providers = new ArrayList<>();
  private WebClient webClient;

  /** A validated image ready to be stored. */
  private DecodeBudget decodeBudget;

  private record Checked(Buffer data, ImageInfo info, String sha256) {
  }

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
    queries = new ImageQueries(pool);
    validator = new UploadValidator(settings.maxUploadBytes(), settings.maxPixels());
    decodeBudget = new DecodeBudget(settings.decodeBudgetBytes(), settings.decodeMaxWaiting());
    renderWorkers = vertx.createSharedWorkerExecutor("promptlab-generation-render", settings.renderWorkers(),
      5, TimeUnit.MINUTES);
    LocalImageStorage local = new LocalImageStorage(vertx, settings.imagesDir());
    storageByType.put(local.type(), local);
    buildProviders();

    // Image folders of older versions were created with the umask's permissions: owner-only from now on.
    return vertx.fileSystem().mkdirs(settings.imagesDir().toString(), "rwx------")
      .compose(done -> vertx.fileSystem().chmod(settings.imagesDir().toString(), "rwx------"))
      .compose(done -> settings.s3() == null ? Future.succeededFuture()
        : S3ImageStorage.create(vertx, settings.s3()).onSuccess(s3 -> storageByType.put(s3.type(), s3)))
      .onSuccess(done -> writeStorage = storageByType.get(settings.storageType()))
      .compose(done -> Future.all(List.of(
        register(Addresses.GENERATION_STORE_ORIGINAL, this::storeOriginal),
        register(Addresses.GENERATION_GENERATE, this::generate),
        register(Addresses.GENERATION_IMAGE_READ, this::readImage),
        register(Addresses.ping("generation"), message -> message.reply(new JsonObject().put("ok", true))))))
      .onSuccess(done -> LOG.info("generation verticle started: storage {}, providers {}, images under {}",
        settings.storageType(), settings.providerByApi(), settings.imagesDir()))
      // A fresh start has closed circuits: say so, or the gauges would keep what the last instance reported.
      .onSuccess(done -> providers.stream().filter(CircuitBreakingProvider.class::isInstance)
        .map(CircuitBreakingProvider.class::cast).forEach(p -> publishCircuit(p.name(), p.state())))
      // A failed start is not followed by stop(): release what was opened so far.
      .recover(failure -> stop().transform(ignored -> Future.failedFuture(failure)));
  }

  /** One instance per provider name; external ones behind their own circuit breaker. */
  private void buildProviders() {
    Map<String, ImageProvider> byName = new LinkedHashMap<>();
    byName.put(LocalImageProvider.NAME,
      new LocalImageProvider(new LocalEnhancer(settings.maxEdge()), renderWorkers));
    if (settings.leonardo() != null || settings.replicate() != null || settings.automatic1111() != null) {
      webClient = WebClient.create(vertx, new WebClientOptions().setUserAgent("PromptLab")
        .setConnectTimeout(10_000).setFollowRedirects(true));
    }
    if (settings.leonardo() != null) {
      byName.put(LeonardoProvider.NAME, guarded(new LeonardoProvider(vertx, webClient, renderWorkers,
        settings.leonardo()), settings.leonardo().resilience()));
    }
    if (settings.replicate() != null) {
      byName.put(ReplicateProvider.NAME, guarded(new ReplicateProvider(vertx, webClient, renderWorkers,
        settings.replicate()), settings.replicate().resilience()));
    }
    if (settings.automatic1111() != null) {
      byName.put(Automatic1111Provider.NAME, guarded(new Automatic1111Provider(vertx, webClient, renderWorkers,
        settings.automatic1111()), settings.automatic1111().resilience()));
    }
    providers.addAll(byName.values());
    settings.providerByApi().forEach((api, name) -> providerByApi.put(api, byName.get(name)));
  }

  /** An external provider behind its circuit breaker, whose state changes are published for the metrics. */
  private CircuitBreakingProvider guarded(ImageProvider provider, ResilienceSettings resilience) {
    ConsecutiveFailureBreaker breaker = new ConsecutiveFailureBreaker(resilience.breakerMaxFailures(),
      resilience.breakerResetMs(), () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
    return new CircuitBreakingProvider(vertx, provider, breaker, state -> publishCircuit(provider.name(), state));
  }

  private void publishCircuit(String provider, ConsecutiveFailureBreaker.State state) {
    vertx.eventBus().publish(Addresses.EVENT_PROVIDER_CIRCUIT,
      new ProviderCircuitChanged(provider, state.wire()).toJson());
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    providers.forEach(p -> closing.add(p.close()));
    storageByType.values().forEach(s -> closing.add(s.close()));
    if (webClient != null) {
      webClient.close();
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

  // ---- GENERATION_STORE_ORIGINAL ----

  private void storeOriginal(Message<Object> message) {
    JsonObject body;
    Object data;
    String projectId;
    String siteVisitId;
    JsonObject metadata = new JsonObject();
    try {
      body = jsonBody(message);
      data = imageBytesField(body, "data");
      projectId = reference(body, "project_id");
      siteVisitId = reference(body, "site_visit_id");
      String filename = optionalString(body, "filename");
      if (filename != null && !filename.isBlank()) {
        metadata.put("filename", filename.length() > MAX_FILENAME_LENGTH ? filename.substring(0, MAX_FILENAME_LENGTH) : filename);
      }
    } catch (RuntimeException e) {
      BusFailure.reply(message, e, "generation");
      return;
    }
    vertx.executeBlocking(() -> check(imageBytes(data)), false)
      .compose(checked -> store(ImageKind.ORIGINAL, checked, null, projectId, siteVisitId, metadata))
      .onSuccess(stored -> message.reply(stored.toJson()))
      .onFailure(failure -> BusFailure.reply(message, failure, "generation"));
  }

  private Checked check(Buffer data) throws ImageRejectedException {
    byte[] bytes = data.getBytes();
    ImageInfo info = validator.validate(bytes);
    return new Checked(data, info, sha256(bytes));
  }

  // ---- GENERATION_GENERATE ----

  private void generate(Message<Object> message) {
    long started = System.nanoTime();
    GenerateRequest request;
    try {
      request = parseGenerate(jsonBody(message));
    } catch (RuntimeException e) {
      BusFailure.reply(message, e, "generation");
      return;
    }
    ImageProvider provider = providerByApi.get(request.parameters().api());
    // What the provider really sends: the variant is stored and answered with these, not the requested ones.
    GenerationParameters applied = provider.applied(request.parameters());
    queries.find(request.originalImageId())
      .compose(row -> row.filter(r -> ImageKind.ORIGINAL.dbName().equals(r.kind()))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new BusFailure(FailureCodes.NOT_FOUND,
          "no original image with id " + request.originalImageId()))))
      .compose(original -> reserveDecode(original).compose(lease -> read(original)
        .compose(bytes -> provider.generate(new ProviderRequest(bytes, original.contentType(), request.parameters(),
          request.prompt(), request.seed(), request.mode())))
        .andThen(done -> lease.close())))
      .compose(rendered -> vertx.executeBlocking(() -> checkRendered(rendered, provider), false))
      .compose(checked -> store(ImageKind.ENHANCED, checked, request.originalImageId(), null, null,
        generationMetadata(request, provider, applied)))
      .onComplete(outcome -> {
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (outcome.succeeded()) {
          publishFinished(provider, request.mode(), null, durationMs);
          message.reply(new GeneratedImage(outcome.result(), provider.name(), durationMs, applied).toJson());
        } else {
          publishFinished(provider, request.mode(), outcome.cause(), durationMs);
          BusFailure.reply(message, outcome.cause(), "generation");
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

  private static GenerateRequest parseGenerate(JsonObject body) {
    if (!(body.getValue("original_image_id") instanceof Number)) {
      throw BusFailure.invalid("original_image_id must be a number");
    }
    if (!(body.getValue("parameters") instanceof JsonObject)) {
      throw BusFailure.invalid("parameters must be an object with api, strength, guidance_scale, control_weight");
    }
    if (!(body.getValue("prompt") instanceof JsonObject prompt)) {
      throw BusFailure.invalid("prompt must be an object with prompt and negative_prompt");
    }
    optionalString(prompt, "prompt");
    optionalString(prompt, "negative_prompt");
    optionalString(body, "prompt_version");
    if (!ParameterSpace.isMode(optionalString(body, "mode"))) {
      throw BusFailure.invalid("mode must be one of " + ParameterSpace.MODES);
    }
    if (body.getValue("seed") != null && !(body.getValue("seed") instanceof Number)) {
      throw BusFailure.invalid("seed must be a number");
    }
    return GenerateRequest.fromJson(body);
  }

  private Checked checkRendered(Buffer rendered, ImageProvider provider) {
    try {
      return check(rendered);
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
    long imageId;
    try {
      Object value = jsonBody(message).getValue("image_id");
      if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1) {
        throw BusFailure.invalid("image_id must be a positive whole number");
      }
      imageId = n.longValue();
    } catch (RuntimeException e) {
      BusFailure.reply(message, e, "generation");
      return;
    }
    queries.find(imageId)
      .compose(row -> row.map(Future::succeededFuture).orElseGet(() ->
        Future.failedFuture(BusFailure.notFound("no image with id " + imageId))))
      .compose(row -> read(row).map(bytes -> {
        message.reply(bytes, new DeliveryOptions().addHeader("content-type", row.contentType()));
        return bytes;
      }))
      .onFailure(failure -> BusFailure.reply(message, failure, "generation"));
  }

  // ---- shared steps ----

  private Future<Buffer> read(ImageRow row) {
    ImageStorage storage = storageByType.get(row.location().storage());
    if (storage == null) {
      return Future.failedFuture(new BusFailure(FailureCodes.STORAGE_FAILED,
        "image " + row.id() + " is kept in '" + row.location().storage() + "' storage, which is not configured"));
    }
    return storage.get(row.location());
  }

  /** Writes the bytes, then the row; when the row cannot be written the bytes are removed again. */
  private Future<StoredImage> store(ImageKind kind, Checked checked, Long parentId, String projectId,
                                    String siteVisitId, JsonObject metadata) {
    ImageInfo info = checked.info();
    String contentType = info.format().contentType();
    return writeStorage.put(kind, StorageKeys.newName(info.format().extension()), checked.data(), contentType)
      .compose(location -> queries.insert(new NewImage(kind, location, contentType, info.width(), info.height(),
          checked.data().length(), checked.sha256(), parentId, projectId, siteVisitId, metadata))
        .recover(failure -> writeStorage.delete(location)
          .onFailure(e -> LOG.error("could not remove {} after the row failed; the file is orphaned", location.key(), e))
          .transform(ignored -> Future.<ImageQueries.Inserted>failedFuture(failure))))
      .map(row -> new StoredImage(row.id(), row.publicId(), settings.urlOf(row.publicId()), contentType, info.width(),
        info.height()));
  }

  // ---- request parsing ----

  private static JsonObject jsonBody(Message<Object> message) {
    if (message.body() instanceof JsonObject json) {
      return json;
    }
    throw BusFailure.invalid("the request body must be a JSON object");
  }

  /**
   * The image bytes: a {@link Buffer} as the http verticle sends them, or base64 text. Read from the raw
   * map because {@code JsonObject.getValue} would base64-encode a buffer on the event loop.
   */
  private static Object imageBytesField(JsonObject body, String key) {
    Object value = body.getMap().get(key);
    if (value instanceof Buffer || value instanceof String) {
      return value;
    }
    throw BusFailure.invalid(value == null ? key + " is missing: send the image bytes" : key + " must be the image bytes");
  }

  /** Runs on a worker: base64 decoding of a large upload is too slow for the event loop. */
  private static Buffer imageBytes(Object value) {
    if (value instanceof Buffer buffer) {
      return buffer;
    }
    try {
      return Buffer.buffer(Base64.getDecoder().decode((String) value));
    } catch (IllegalArgumentException standard) {
      try {
        return Buffer.buffer(Base64.getUrlDecoder().decode((String) value));
      } catch (IllegalArgumentException url) {
        throw BusFailure.invalid("data must be the image bytes (a buffer or base64 text)");
      }
    }
  }

  private static String optionalString(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw BusFailure.invalid(key + " must be a string");
    }
    return (String) value;
  }

  private static String reference(JsonObject body, String key) {
    String value = optionalString(body, key);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_REFERENCE_LENGTH) {
      throw BusFailure.invalid(key + " must be at most " + MAX_REFERENCE_LENGTH + " characters");
    }
    return value;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
