package dev.promptlab.testkit;

import static dev.promptlab.testkit.Await.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One local HTTP server speaking the wire formats of the three image services PromptLab can render on, as the
 * generation verticle meets them in production:
 * <ul>
 *   <li>Leonardo.Ai REST v1 under {@value #LEONARDO_ROOT}: {@code POST /init-image} hands out a presigned S3 POST
 *   (fields as a JSON document inside a string); the upload goes to a storage URL without credentials and with a
 *   {@code Content-Length} (S3 answers a chunked body with 411 {@code MissingContentLength}); {@code POST
 *   /generations} checks that the init image arrived and answers a job id; {@code GET /generations/{id}} reports
 *   {@code PENDING} once and then {@code COMPLETE} with a CDN URL;</li>
 *   <li>Replicate under {@value #REPLICATE_ROOT}: {@code POST /predictions} (a model version in the body) or
 *   {@code POST /models/{owner}/{name}/predictions} checks the input against the model's schema and answers 201;
 *   the prediction is {@code starting}, then {@code processing} and {@code succeeded} with a delivery URL as it is
 *   polled ({@link #replicateRenderTakes}); {@code POST /predictions/{id}/cancel}; {@code POST /files} stores an
 *   input file;</li>
 *   <li>an AUTOMATIC1111 web UI: one synchronous {@code POST /sdapi/v1/img2img} (no authentication, as it runs by
 *   default) answering {@code images} as base64 PNGs, 422 with FastAPI's {@code detail} list when a required field
 *   is missing.</li>
 * </ul>
 * API calls without the right bearer key get each service's 401 error shape; malformed requests get the service's
 * 400/422. A test changes one step's answer for its next requests ({@link #next}) or for good ({@link #always}),
 * holds a step's answers back ({@link #hold}), and reads every request with the answer it got ({@link #received}).
 */
public final class FakeImageApis implements AutoCloseable {

  public static final String LEONARDO_ROOT = "/api/rest/v1";
  public static final String REPLICATE_ROOT = "/v1";
  /** The model of the Replicate routes by model name unless a test names another. */
  public static final String REPLICATE_MODEL = "stability-ai/sdxl";
  /** The signature field of every presigned upload the fake hands out. */
  public static final String PRESIGNED_SIGNATURE = "0f1e2d3c4b5a";
  /** S3's answer to an upload without a Content-Length. */
  public static final String S3_MISSING_CONTENT_LENGTH = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
    + "<Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header.</Message>"
    + "<RequestId>4Q1XK4M5Y7B2C9D0</RequestId><HostId>hPq3n0x8Zb1c2d3e4f5g6h7i8j9k0</HostId></Error>";
  /** What Replicate's img2img models read unless a test gives a model its own schema. */
  public static final List<String> REPLICATE_INPUTS = List.of("prompt", "strength", "guidance_scale",
    "controlnet_conditioning_scale", "seed", "image");

  /** The steps of the three services, as the server tells them apart. */
  public enum Step {
    LEONARDO_INIT_IMAGE, PRESIGNED_UPLOAD, LEONARDO_GENERATIONS, LEONARDO_STATUS, LEONARDO_CDN,
    REPLICATE_PREDICTIONS, REPLICATE_STATUS, REPLICATE_CANCEL, REPLICATE_FILES, REPLICATE_DELIVERY,
    AUTOMATIC1111_IMG2IMG, UNKNOWN;

    /** A call to Leonardo's API, which needs its key. */
    public boolean leonardoApi() {
      return this == LEONARDO_INIT_IMAGE || this == LEONARDO_GENERATIONS || this == LEONARDO_STATUS;
    }

    /** A call to Replicate's API, which needs its token. */
    public boolean replicateApi() {
      return this == REPLICATE_PREDICTIONS || this == REPLICATE_STATUS || this == REPLICATE_CANCEL
        || this == REPLICATE_FILES;
    }
  }

  /**
   * One received request with the answer it got ({@code null} while held, see {@link #hold});
   * {@code form} and {@code files} are filled for multipart bodies.
   */
  public record Received(Step step, String method, String path, MultiMap headers, Buffer body, MultiMap form,
                         Map<String, Buffer> files, long atNanos, Reply reply) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public String authorization() {
      return headers.get("Authorization");
    }
  }

  /** An answer: status, headers and body, sent after {@code delayMs}, or never ({@code silent}, see {@link #hang}). */
  public record Reply(int status, Map<String, String> headers, Buffer body, long delayMs, boolean silent) {

    public static Reply json(int status, JsonObject body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), body.toBuffer(), 0, false);
    }

    public static Reply json(JsonObject body) {
      return json(200, body);
    }

    /** A body that claims to be JSON and is not (a truncated answer, say). */
    public static Reply brokenJson(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), Buffer.buffer(body), 0, false);
    }

    public static Reply text(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "text/plain"), Buffer.buffer(body), 0, false);
    }

    /** An S3-style XML error. */
    public static Reply xml(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "application/xml"), Buffer.buffer(body), 0, false);
    }

    public static Reply bytes(byte[] body, String contentType) {
      return new Reply(200, Map.of("Content-Type", contentType), Buffer.buffer(body), 0, false);
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of(), Buffer.buffer(), 0, false);
    }

    /** A service that accepted the connection and never answers. */
    public static Reply hang() {
      return new Reply(0, Map.of(), Buffer.buffer(), 0, true);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, copy, body, delayMs, silent);
    }

    public Reply after(long millis) {
      return new Reply(status, headers, body, millis, silent);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** The finished images of the three services: real images of different sizes, so a variant shows its source. */
  public final byte[] leonardoResult;
  public final byte[] replicateResult;
  public final byte[] automatic1111Result;
  /** Each request held by {@link #hold} adds a permit, so a test can wait until N are held. */
  public final Semaphore held = new Semaphore(0);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final String leonardoKey;
  private final String replicateToken;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<Step, Deque<Reply>> scripted = new EnumMap<>(Step.class);
  private final Map<Step, Function<Received, Reply>> replaced = new EnumMap<>(Step.class);
  private final Map<String, List<String>> replicateSchemas = new ConcurrentHashMap<>();
  private final Set<String> uploadedInitImages = ConcurrentHashMap.newKeySet();
  private final Set<String> replicateFiles = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
  private final List<String> predictionIds = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger fileIds = new AtomicInteger();
  private volatile int replicateRenderTakes = 2;
  /** Render time of every image from its job's creation; 0: done by counting status reads instead. */
  private volatile long renderMillis;
  private final Map<String, Long> createdAtNanos = new ConcurrentHashMap<>();
  private volatile Step heldStep;
  private volatile Promise<Void> gate;
  private HttpServer server;

  private FakeImageApis(Vertx vertx, boolean ownsVertx, String leonardoKey, String replicateToken) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.leonardoKey = leonardoKey;
    this.replicateToken = replicateToken;
    try {
      this.leonardoResult = SampleImages.jpeg(256, 192);
      this.replicateResult = SampleImages.jpeg(288, 216);
      this.automatic1111Result = SampleImages.pngWithAlpha(272, 204);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fake on {@code vertx}, listening on a port of the OS's choice; closed with {@code vertx} or {@link #stop}. */
  public static Future<FakeImageApis> start(Vertx vertx, String leonardoKey, String replicateToken) {
    return new FakeImageApis(vertx, false, leonardoKey, replicateToken).listen();
  }

  /** The fake on a Vert.x of its own, for tests of a whole server; {@link #close} ends both. */
  public static FakeImageApis open(String leonardoKey, String replicateToken) {
    return await(new FakeImageApis(TestVertx.create(), true, leonardoKey, replicateToken).listen());
  }

  private Future<FakeImageApis> listen() {
    return vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1").map(listening -> {
      server = listening;
      return this;
    });
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public String leonardoBaseUrl() {
    return url(LEONARDO_ROOT);
  }

  public String replicateBaseUrl() {
    return url(REPLICATE_ROOT);
  }

  /** AUTOMATIC1111 listens at the root of its host. */
  public String automatic1111BaseUrl() {
    return url("");
  }

  /** Stops listening, so the services are unreachable from now on. */
  public Future<Void> stop() {
    return server.close();
  }

  @Override
  public void close() {
    await(ownsVertx ? vertx.close() : server.close());
  }

  /**
   * What an operator sets to render {@code leonardo} options on Leonardo and {@code stablediffusion} options on
   * Replicate — the variables of the README's "Run with real providers" section — with each service's
   * {@code base_url} pointing here.
   */
  public Map<String, String> operatorEnvironment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("PROMPTLAB__GENERATION__PROVIDERS__LEONARDO", "leonardo");
    environment.put("PROMPTLAB__GENERATION__PROVIDERS__STABLEDIFFUSION", "replicate");
    environment.put("PROMPTLAB__GENERATION__REPLICATE__MODEL", REPLICATE_MODEL);
    environment.put("PROMPTLAB__GENERATION__LEONARDO__BASE_URL", leonardoBaseUrl());
    environment.put("PROMPTLAB__GENERATION__REPLICATE__BASE_URL", replicateBaseUrl());
    environment.put("LEONARDO_API_KEY", leonardoKey);
    environment.put("REPLICATE_API_TOKEN", replicateToken);
    return environment;
  }

  /** The README's AUTOMATIC1111 variables: both options rendered by the web UI here. */
  public Map<String, String> automatic1111Environment() {
    return Map.of("PROMPTLAB__GENERATION__PROVIDERS__LEONARDO", "automatic1111",
      "PROMPTLAB__GENERATION__PROVIDERS__STABLEDIFFUSION", "automatic1111",
      "PROMPTLAB__GENERATION__AUTOMATIC1111__BASE_URL", automatic1111BaseUrl());
  }

  /**
   * {@link #operatorEnvironment()} with little patience so tests stay quick: one exchange may take 1 s, a whole
   * generation 10 s; three consecutive failures open a provider's circuit, for longer than any test runs (so no
   * test races its reset).
   */
  public Map<String, String> serverEnvironment() {
    JsonObject patience = new JsonObject().put("request_timeout_ms", 1000).put("total_timeout_ms", 10_000)
      .put("poll_interval_ms", 50).put("max_attempts", 3).put("retry_base_delay_ms", 20).put("retry_max_delay_ms", 200)
      .put("breaker_max_failures", 3).put("breaker_reset_ms", 3_600_000);
    Map<String, String> environment = new HashMap<>(operatorEnvironment());
    environment.remove("PROMPTLAB__GENERATION__LEONARDO__BASE_URL");
    environment.remove("PROMPTLAB__GENERATION__REPLICATE__BASE_URL");
    environment.remove("PROMPTLAB__GENERATION__REPLICATE__MODEL");
    environment.put("PROMPTLAB__GENERATION__LEONARDO", patience.copy().put("base_url", leonardoBaseUrl()).encode());
    environment.put("PROMPTLAB__GENERATION__REPLICATE", patience.copy().put("base_url", replicateBaseUrl())
      .put("model", REPLICATE_MODEL).put("wait_seconds", 1).encode());
    return environment;
  }

  /**
   * How many status reads a Replicate prediction takes to succeed: 0 finishes it within the create's
   * {@code Prefer: wait} (201 {@code succeeded}); the default 2 answers {@code starting}, then {@code processing},
   * then {@code succeeded}; {@link Integer#MAX_VALUE} never finishes.
   */
  public FakeImageApis replicateRenderTakes(int statusReads) {
    replicateRenderTakes = statusReads;
    return this;
  }

  /**
   * Every image from now on takes {@code millis} to render, counted from the creation of its job, as at the real
   * services (instead of {@link #replicateRenderTakes} status reads, and Leonardo's one {@code PENDING}): a status
   * read before then answers {@code PENDING} / {@code processing}, and Replicate's create with {@code Prefer: wait=N}
   * answers when the image is done if that is within N seconds (holding its connection meanwhile, as Replicate's
   * synchronous mode does), else at once with {@code starting}.
   */
  public FakeImageApis renderTime(long millis) {
    renderMillis = millis;
    return this;
  }

  /** The inputs {@code model} (a version id or {@code owner/name}) requires instead of {@link #REPLICATE_INPUTS}. */
  public FakeImageApis replicateSchema(String model, List<String> requiredInputs) {
    replicateSchemas.put(model, List.copyOf(requiredInputs));
    return this;
  }

  /** From now on, answers to {@code step} are held back until {@link #release}: a slow service the test controls. */
  public void hold(Step step) {
    gate = Promise.promise();
    heldStep = step;
  }

  /** Sends every held answer, and answers at once again. */
  public void release() {
    Promise<Void> open = gate;
    heldStep = null;
    gate = null;
    if (open != null) {
      open.tryComplete();
    }
  }

  /** Answers used, in order, for the next requests to {@code step} instead of the normal answer. */
  public synchronized FakeImageApis next(Step step, Reply... replies) {
    scripted.computeIfAbsent(step, s -> new ArrayDeque<>()).addAll(List.of(replies));
    return this;
  }

  /** The answer of {@code step} from now on (after any {@link #next} ones), instead of the normal one. */
  public synchronized FakeImageApis always(Step step, Function<Received, Reply> reply) {
    replaced.put(step, reply);
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> received(Step step) {
    return received.stream().filter(r -> r.step() == step).toList();
  }

  /** A copy of the requests received after the first {@code count} ones. */
  public List<Received> receivedSince(int count) {
    List<Received> all = List.copyOf(received);
    return all.subList(count, all.size());
  }

  /** The ids of the Replicate predictions created so far, in order. */
  public List<String> predictionIds() {
    return List.copyOf(predictionIds);
  }

  /** A Replicate prediction object as the API returns it. */
  public JsonObject prediction(String id, String status, Object output, String error) {
    return new JsonObject().put("id", id).put("model", REPLICATE_MODEL).put("version", "hidden")
      .put("status", status).put("created_at", "2025-01-20T10:00:00.000Z")
      .put("urls", new JsonObject().put("get", replicateBaseUrl() + "/predictions/" + id)
        .put("cancel", replicateBaseUrl() + "/predictions/" + id + "/cancel"))
      .put("output", output).put("error", error).put("logs", "");
  }

  /** A Leonardo generation status as {@code GET /generations/{id}} returns it; no image unless {@code imageUrl}. */
  public static JsonObject leonardoStatus(String id, String status, String imageUrl) {
    JsonArray images = new JsonArray();
    if (imageUrl != null) {
      images.add(new JsonObject().put("url", imageUrl).put("nsfw", false).put("id", "img-" + id).put("likeCount", 0)
        .put("generated_image_variation_generics", new JsonArray()));
    }
    return new JsonObject().put("generations_by_pk", new JsonObject().put("generated_images", images)
      .put("modelId", "aa77f04e-3eec-4034-9c07-d0f619684628").put("status", status).put("id", id));
  }

  private static Step stepOf(String method, String path) {
    boolean post = "POST".equals(method);
    boolean get = "GET".equals(method);
    if (post && path.equals(LEONARDO_ROOT + "/init-image")) {
      return Step.LEONARDO_INIT_IMAGE;
    }
    if (post && path.equals("/storage/init-images")) {
      return Step.PRESIGNED_UPLOAD;
    }
    if (post && path.equals(LEONARDO_ROOT + "/generations")) {
      return Step.LEONARDO_GENERATIONS;
    }
    if (get && path.startsWith(LEONARDO_ROOT + "/generations/")) {
      return Step.LEONARDO_STATUS;
    }
    if (get && path.startsWith("/cdn/")) {
      return Step.LEONARDO_CDN;
    }
    if (post && (path.equals(REPLICATE_ROOT + "/predictions") || path.matches(REPLICATE_ROOT
      + "/models/[^/]+/[^/]+/predictions"))) {
      return Step.REPLICATE_PREDICTIONS;
    }
    if (post && path.startsWith(REPLICATE_ROOT + "/predictions/") && path.endsWith("/cancel")) {
      return Step.REPLICATE_CANCEL;
    }
    if (get && path.startsWith(REPLICATE_ROOT + "/predictions/")) {
      return Step.REPLICATE_STATUS;
    }
    if (post && path.equals(REPLICATE_ROOT + "/files")) {
      return Step.REPLICATE_FILES;
    }
    if (get && path.startsWith("/delivery/")) {
      return Step.REPLICATE_DELIVERY;
    }
    if (post && path.equals("/sdapi/v1/img2img")) {
      return Step.AUTOMATIC1111_IMG2IMG;
    }
    return Step.UNKNOWN;
  }

  private void receive(HttpServerRequest request) {
    Step step = stepOf(request.method().name(), request.path());
    ReceivedBody.read(request, body -> {
      Received asked = new Received(step, request.method().name(), request.path(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.body(), body.form(), body.files(),
        System.nanoTime(), null);
      Reply reply = answer(asked);
      received.add(new Received(asked.step(), asked.method(), asked.path(), asked.headers(), asked.body(),
        asked.form(), asked.files(), asked.atNanos(), reply));
      Promise<Void> holding = gate;
      if (reply.silent()) {
        return;
      }
      if (step == heldStep && holding != null) {
        held.release();
        holding.future().onComplete(released -> send(request, reply));
      } else if (reply.delayMs() > 0) {
        vertx.setTimer(reply.delayMs(), id -> send(request, reply));
      } else {
        send(request, reply);
      }
    });
  }

  private synchronized Reply scriptedFor(Received r) {
    Deque<Reply> queue = scripted.get(r.step());
    Reply next = queue == null ? null : queue.poll();
    if (next != null) {
      return next;
    }
    Function<Received, Reply> instead = replaced.get(r.step());
    return instead == null ? null : instead.apply(r);
  }

  private Reply answer(Received r) {
    if (r.step().leonardoApi() && !("Bearer " + leonardoKey).equals(r.authorization())) {
      return Reply.json(401, new JsonObject().put("error", "Invalid authentication credentials").put("path", "$")
        .put("code", "invalid-jwt"));
    }
    if (r.step().replicateApi() && !("Bearer " + replicateToken).equals(r.authorization())) {
      return Reply.json(401, new JsonObject().put("title", "Unauthenticated")
        .put("detail", "You did not pass a valid authentication token").put("status", 401));
    }
    Reply scriptedReply = scriptedFor(r);
    if (scriptedReply != null) {
      return scriptedReply;
    }
    try {
      return switch (r.step()) {
        case LEONARDO_INIT_IMAGE -> initImage(r);
        case PRESIGNED_UPLOAD -> presignedUpload(r);
        case LEONARDO_GENERATIONS -> generations(r);
        case LEONARDO_STATUS -> leonardoStatus(r);
        case LEONARDO_CDN -> Reply.bytes(leonardoResult, "image/jpeg");
        case REPLICATE_PREDICTIONS -> predictions(r);
        case REPLICATE_STATUS -> replicateStatus(r);
        case REPLICATE_CANCEL -> Reply.json(200, prediction(idFrom(r.path(), 1), "canceled", null, null));
        case REPLICATE_FILES -> replicateFile(r);
        case REPLICATE_DELIVERY -> Reply.bytes(replicateResult, "image/jpeg");
        case AUTOMATIC1111_IMG2IMG -> img2img(r);
        case UNKNOWN -> Reply.json(404, new JsonObject().put("error", "no route " + r.method() + " " + r.path()));
      };
    } catch (DecodeException | ClassCastException e) {
      return Reply.json(400, new JsonObject().put("error", "the body is not valid JSON"));
    }
  }

  private Reply initImage(Received r) {
    String extension = r.json().getString("extension");
    if (!List.of("jpg", "jpeg", "png", "webp").contains(extension)) {
      return Reply.json(400, new JsonObject().put("error", "extension must be one of png, jpg, jpeg, webp"));
    }
    String id = "init-" + ids.incrementAndGet();
    String key = "users/u1/initImages/" + id + "." + extension;
    JsonObject fields = new JsonObject().put("Content-Type", "image/" + ("jpg".equals(extension) ? "jpeg" : extension))
      .put("bucket", "image-flex-213441772509-prod-images").put("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
      .put("X-Amz-Credential", "AKIAEXAMPLE/20250120/us-east-1/s3/aws4_request").put("X-Amz-Date", "20250120T100000Z")
      .put("key", key).put("Policy", "eyJleHBpcmF0aW9uIjoiMjAyNS0wMS0yMFQxMTowMDowMFoifQ==")
      .put("X-Amz-Signature", PRESIGNED_SIGNATURE);
    // Leonardo sends the form fields as a JSON document inside a string.
    return Reply.json(200, new JsonObject().put("uploadInitImage", new JsonObject().put("id", id)
      .put("fields", fields.encode()).put("key", key).put("url", url("/storage/init-images"))));
  }

  /**
   * S3's presigned POST: the form fields plus exactly one file, with a {@code Content-Length} (S3 answers a chunked
   * body with 411 {@code MissingContentLength}); refuses a second authentication mechanism.
   */
  private Reply presignedUpload(Received r) {
    if (r.headers().get("Content-Length") == null) {
      return Reply.xml(411, S3_MISSING_CONTENT_LENGTH);
    }
    if (r.authorization() != null) {
      return Reply.xml(400, "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message>"
        + "</Error>");
    }
    String key = r.form().get("key");
    Buffer file = r.files().get("file");
    if (file == null || r.files().size() != 1) {
      return Reply.xml(400, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidArgument</Code><Message>"
        + "POST requires exactly one file upload per request.</Message></Error>");
    }
    if (key == null || r.form().get("Policy") == null || !PRESIGNED_SIGNATURE.equals(r.form().get("X-Amz-Signature"))
      || file.length() == 0) {
      return Reply.xml(400, "<Error><Code>InvalidArgument</Code><Message>the policy, the signature, the key and the"
        + " file are required</Message></Error>");
    }
    String name = key.substring(key.lastIndexOf('/') + 1);
    uploadedInitImages.add(name.substring(0, name.indexOf('.')));
    return Reply.status(204);
  }

  private Reply generations(Received r) {
    JsonObject body = r.json();
    String initImage = body.getString("init_image_id");
    JsonArray controlnets = body.getJsonArray("controlnets");
    if (initImage == null || !uploadedInitImages.contains(initImage)) {
      return Reply.json(400, new JsonObject().put("error", "init image " + initImage + " was not uploaded"));
    }
    if (body.getString("prompt", "").isBlank() || body.getString("modelId") == null
      || !(body.getValue("guidance_scale") instanceof Integer) || body.getNumber("init_strength") == null
      || controlnets == null || controlnets.isEmpty()) {
      return Reply.json(400, new JsonObject().put("error", "prompt, modelId, whole guidance_scale, init_strength and"
        + " controlnets are required"));
    }
    String id = "gen-" + ids.incrementAndGet();
    polls.put(id, new AtomicInteger());
    createdAtNanos.put(id, System.nanoTime());
    return Reply.json(200, new JsonObject().put("sdGenerationJob",
      new JsonObject().put("generationId", id).put("apiCreditCost", 8)));
  }

  private Reply leonardoStatus(Received r) {
    String id = idFrom(r.path(), 0);
    AtomicInteger count = polls.get(id);
    if (count == null) {
      return Reply.json(200, new JsonObject().putNull("generations_by_pk"));
    }
    boolean done = renderMillis > 0 ? rendered(id) : count.incrementAndGet() > 1;
    return Reply.json(200, leonardoStatus(id, done ? "COMPLETE" : "PENDING",
      done ? url("/cdn/" + id + "/Default_interior_0.jpg") : null));
  }

  private Reply predictions(Received r) {
    JsonObject body = r.json();
    String model = r.path().equals(REPLICATE_ROOT + "/predictions") ? body.getString("version")
      : r.path().substring((REPLICATE_ROOT + "/models/").length(), r.path().length() - "/predictions".length());
    if (model == null) {
      return Reply.json(422, new JsonObject().put("title", "Input validation failed")
        .put("detail", "- version: version is required").put("status", 422));
    }
    JsonObject input = body.getJsonObject("input");
    List<String> missing = new ArrayList<>();
    for (String field : replicateSchemas.getOrDefault(model, REPLICATE_INPUTS)) {
      Object value = input == null ? null : input.getValue(field);
      boolean image = field.equals("image") || field.endsWith("_image");
      if (value == null || image && !(value instanceof String uri && (validDataUri(uri) || replicateFile(uri)))) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      return Reply.json(422, new JsonObject().put("title", "Input validation failed")
        .put("detail", "- input: missing or invalid " + missing).put("status", 422));
    }
    String id = "p" + Integer.toHexString(0x10000 + ids.incrementAndGet()) + "x7k2q";
    predictionIds.add(id);
    polls.put(id, new AtomicInteger());
    createdAtNanos.put(id, System.nanoTime());
    // Prefer: wait holds the answer until the prediction is done, when it is done within the wait.
    long render = renderMillis;
    if (render > 0) {
      return render <= preferWaitMillis(r.headers().get("Prefer"))
        ? Reply.json(201, prediction(id, "succeeded", output(id), null)).after(render)
        : Reply.json(201, prediction(id, "starting", null, null));
    }
    boolean waited = r.headers().get("Prefer") != null && replicateRenderTakes == 0;
    return Reply.json(201, waited ? prediction(id, "succeeded", output(id), null) : prediction(id, "starting", null,
      null));
  }

  private boolean replicateFile(String uri) {
    return uri.startsWith(url("/files/")) && replicateFiles.contains(uri.substring(url("/files/").length()));
  }

  private Reply replicateFile(Received r) {
    Buffer content = r.files().get("content");
    if (content == null || content.length() == 0) {
      return Reply.json(400, new JsonObject().put("title", "Bad request").put("detail", "content is required")
        .put("status", 400));
    }
    String id = "file" + fileIds.incrementAndGet();
    replicateFiles.add(id);
    return Reply.json(201, new JsonObject().put("id", id).put("size", content.length())
      .put("urls", new JsonObject().put("get", url("/files/" + id))));
  }

  private static boolean validDataUri(String uri) {
    int comma = uri.indexOf(',');
    try {
      return uri.startsWith("data:image/") && comma > 0 && uri.substring(0, comma).endsWith(";base64")
        && Base64.getDecoder().decode(uri.substring(comma + 1)).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Reply replicateStatus(Received r) {
    String id = idFrom(r.path(), 0);
    AtomicInteger count = polls.get(id);
    if (count == null) {
      return Reply.json(404, new JsonObject().put("title", "Not found").put("detail", "Not found.").put("status", 404));
    }
    if (renderMillis > 0 ? !rendered(id) : count.incrementAndGet() < replicateRenderTakes) {
      return Reply.json(200, prediction(id, "processing", null, null));
    }
    return Reply.json(200, prediction(id, "succeeded", output(id), null));
  }

  /** Whether the job {@code id} has rendered for {@link #renderTime} already. */
  private boolean rendered(String id) {
    return System.nanoTime() - createdAtNanos.get(id) >= renderMillis * 1_000_000;
  }

  /** Replicate's {@code Prefer: wait=N} (seconds; {@code wait} alone is its maximum, 60 s) in milliseconds; 0 without. */
  private static long preferWaitMillis(String prefer) {
    if (prefer == null || !prefer.startsWith("wait")) {
      return 0;
    }
    try {
      return prefer.startsWith("wait=") ? Long.parseLong(prefer.substring(5).strip()) * 1000 : 60_000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private JsonArray output(String id) {
    return new JsonArray().add(url("/delivery/" + id + "/out-0.jpg"));
  }

  /** AUTOMATIC1111's img2img: init image, prompt and strength required; the result as base64 PNG. */
  private Reply img2img(Received r) {
    JsonObject body = r.json();
    JsonArray detail = new JsonArray();
    JsonArray init = body.getJsonArray("init_images");
    if (init == null || init.isEmpty() || !(init.getValue(0) instanceof String encoded) || !validBase64(encoded)) {
      detail.add(missing("init_images"));
    }
    for (String field : List.of("prompt", "denoising_strength", "cfg_scale", "seed")) {
      if (body.getValue(field) == null) {
        detail.add(missing(field));
      }
    }
    if (!detail.isEmpty()) {
      return Reply.json(422, new JsonObject().put("detail", detail));
    }
    return Reply.json(200, new JsonObject()
      .put("images", new JsonArray().add(Base64.getEncoder().encodeToString(automatic1111Result)))
      .put("parameters", body.copy().put("init_images", new JsonArray()))
      .put("info", new JsonObject().put("seed", body.getValue("seed")).encode()));
  }

  private static JsonObject missing(String field) {
    return new JsonObject().put("loc", new JsonArray().add("body").add(field)).put("msg", "field required")
      .put("type", "value_error.missing");
  }

  private static boolean validBase64(String encoded) {
    try {
      return Base64.getDecoder().decode(encoded).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The path segment {@code fromEnd} places before the last one (0: the last). */
  private static String idFrom(String path, int fromEnd) {
    String[] parts = path.split("/");
    return parts[parts.length - 1 - fromEnd];
  }

  private static void send(HttpServerRequest request, Reply reply) {
    if (request.response().closed()) {
      return;
    }
    request.response().setStatusCode(reply.status());
    reply.headers().forEach(request.response()::putHeader);
    request.response().end(reply.body());
  }
}
