package dev.promptlab.launcher;

import dev.promptlab.testkit.ReceivedBody;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One local HTTP server speaking the wire formats of both image services PromptLab can use, as the
 * generation verticle meets them in production:
 * <ul>
 *   <li>Leonardo.Ai REST v1 under {@value #LEONARDO_ROOT}: {@code POST /init-image} hands out a presigned
 *   multipart upload (fields as a JSON document inside a string), the upload goes to a storage URL without
 *   credentials and with a {@code Content-Length}, {@code POST /generations} checks that the init image arrived
 *   and answers a job id, {@code GET /generations/{id}} reports {@code PENDING} once and then {@code COMPLETE} with a CDN URL;</li>
 *   <li>Replicate under {@value #REPLICATE_ROOT}: {@code POST /models/{owner}/{name}/predictions} answers
 *   201 with a {@code starting} prediction, {@code GET /predictions/{id}} reports {@code processing} once and
 *   then {@code succeeded} with a delivery URL; {@code POST /predictions/{id}/cancel};</li>
 *   <li>an AUTOMATIC1111 web UI: one synchronous {@code POST /sdapi/v1/img2img} (no authentication, as it runs
 *   by default) answering {@code images} as base64 PNGs, 422 with FastAPI's {@code detail} list when a required
 *   field is missing.</li>
 * </ul>
 * API calls without the right bearer key get each service's 401 error shape; malformed requests get the
 * service's 400/422. Scripted answers ({@link #next}) replace the normal answer of one step for the next
 * request to it. Every request is recorded.
 */
final class FakeImageApis implements AutoCloseable {

  static final String LEONARDO_ROOT = "/api/rest/v1";
  static final String REPLICATE_ROOT = "/v1";
  static final String REPLICATE_MODEL = "stability-ai/sdxl";

  /** The steps of both services, as the server tells them apart. */
  enum Step {
    LEONARDO_INIT_IMAGE, PRESIGNED_UPLOAD, LEONARDO_GENERATIONS, LEONARDO_STATUS, LEONARDO_CDN,
    REPLICATE_PREDICTIONS, REPLICATE_STATUS, REPLICATE_CANCEL, REPLICATE_DELIVERY, AUTOMATIC1111_IMG2IMG, UNKNOWN;

    boolean leonardoApi() {
      return this == LEONARDO_INIT_IMAGE || this == LEONARDO_GENERATIONS || this == LEONARDO_STATUS;
    }

    boolean replicateApi() {
      return this == REPLICATE_PREDICTIONS || this == REPLICATE_STATUS || this == REPLICATE_CANCEL;
    }
  }

  /** One received request; {@code form} and {@code files} are filled for multipart bodies. */
  record Received(Step step, String method, String path, MultiMap headers, Buffer body, MultiMap form,
                  Map<String, Buffer> files, long atNanos) {

    JsonObject json() {
      return new JsonObject(body);
    }

    String authorization() {
      return headers.get("Authorization");
    }
  }

  /** A scripted answer: status, headers, body, sent after {@code delayMs}. */
  record Reply(int status, Map<String, String> headers, Buffer body, long delayMs) {

    static Reply json(int status, JsonObject body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), body.toBuffer(), 0);
    }

    /** A body that claims to be JSON and is not (a truncated answer, say). */
    static Reply brokenJson(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), Buffer.buffer(body), 0);
    }

    static Reply status(int status) {
      return new Reply(status, Map.of(), Buffer.buffer(), 0);
    }

    Reply withHeader(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, copy, body, delayMs);
    }

    Reply after(long millis) {
      return new Reply(status, headers, body, millis);
    }
  }

  /** The finished images the two services hand out: real JPEGs of different sizes, so a variant shows its source. */
  final byte[] leonardoResult;
  final byte[] replicateResult;
  final byte[] automatic1111Result;
  final List<Received> received = new CopyOnWriteArrayList<>();

  private final Vertx vertx = TestVertx.create();
  private final HttpServer server;
  private final String leonardoKey;
  private final String replicateToken;
  private final Map<Step, Deque<Reply>> scripted = new EnumMap<>(Step.class);
  private final Set<String> uploadedInitImages = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  /** Each request held by {@link #hold} adds a permit, so a test can wait until N are held. */
  final java.util.concurrent.Semaphore held = new java.util.concurrent.Semaphore(0);
  private volatile Step heldStep;
  private volatile io.vertx.core.Promise<Void> gate;

  FakeImageApis(String leonardoKey, String replicateToken) throws Exception {
    this.leonardoKey = leonardoKey;
    this.replicateToken = replicateToken;
    this.leonardoResult = SampleImages.jpeg(256, 192);
    this.replicateResult = SampleImages.jpeg(288, 216);
    this.automatic1111Result = SampleImages.pngWithAlpha(272, 204);
    this.server = RunningServer.await(vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1"));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  String leonardoBaseUrl() {
    return url(LEONARDO_ROOT);
  }

  String replicateBaseUrl() {
    return url(REPLICATE_ROOT);
  }

  /**
   * What an operator sets to render {@code leonardo} options on Leonardo and {@code stablediffusion} options on
   * Replicate — the variables of the README's "Run with real providers" section — with each service's
   * {@code base_url} pointing here.
   */
  Map<String, String> operatorEnvironment() {
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
  Map<String, String> automatic1111Environment() {
    return Map.of("PROMPTLAB__GENERATION__PROVIDERS__LEONARDO", "automatic1111",
      "PROMPTLAB__GENERATION__PROVIDERS__STABLEDIFFUSION", "automatic1111",
      "PROMPTLAB__GENERATION__AUTOMATIC1111__BASE_URL", url(""));
  }

  /**
   * {@link #operatorEnvironment()} with little patience so tests stay quick: one exchange may take 1 s, a
   * whole generation 10 s; three consecutive failures open a provider's circuit, for longer than any test runs
   * (so no test races its reset; the reset on a clock is {@code CircuitBreakingProviderTest}'s).
   */
  Map<String, String> serverEnvironment() {
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

  /** From now on, answers to {@code step} are held back until {@link #release}: a slow service the test controls. */
  void hold(Step step) {
    gate = io.vertx.core.Promise.promise();
    heldStep = step;
  }

  /** Sends every held answer, and answers at once again. */
  void release() {
    io.vertx.core.Promise<Void> open = gate;
    heldStep = null;
    gate = null;
    if (open != null) {
      open.tryComplete();
    }
  }

  /** Answers used, in order, for the next requests to {@code step} instead of the normal answer. */
  synchronized FakeImageApis next(Step step, Reply... replies) {
    scripted.computeIfAbsent(step, s -> new ArrayDeque<>()).addAll(List.of(replies));
    return this;
  }

  /** A copy of the requests received after the first {@code count} ones. */
  List<Received> receivedSince(int count) {
    List<Received> all = List.copyOf(received);
    return all.subList(count, all.size());
  }

  List<Received> received(Step step) {
    return received.stream().filter(r -> r.step() == step).toList();
  }

  /** A Replicate prediction object as the API returns it. */
  JsonObject prediction(String id, String status, Object output, String error) {
    JsonObject prediction = new JsonObject().put("id", id).put("model", REPLICATE_MODEL).put("version", "hidden")
      .put("status", status).put("created_at", "2025-01-20T10:00:00.000Z")
      .put("urls", new JsonObject().put("get", replicateBaseUrl() + "/predictions/" + id)
        .put("cancel", replicateBaseUrl() + "/predictions/" + id + "/cancel"));
    prediction.put("output", output).put("error", error).put("logs", "");
    return prediction;
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
    if (post && path.equals(REPLICATE_ROOT + "/models/" + REPLICATE_MODEL + "/predictions")) {
      return Step.REPLICATE_PREDICTIONS;
    }
    if (post && path.startsWith(REPLICATE_ROOT + "/predictions/") && path.endsWith("/cancel")) {
      return Step.REPLICATE_CANCEL;
    }
    if (get && path.startsWith(REPLICATE_ROOT + "/predictions/")) {
      return Step.REPLICATE_STATUS;
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
      Received r = new Received(step, request.method().name(), request.path(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.body(), body.form(), body.files(),
        System.nanoTime());
      received.add(r);
      Reply reply = answer(r);
      io.vertx.core.Promise<Void> holding = gate;
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

  private synchronized Reply scriptedFor(Step step) {
    Deque<Reply> queue = scripted.get(step);
    return queue == null ? null : queue.poll();
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
    Reply scriptedReply = scriptedFor(r.step());
    if (scriptedReply != null) {
      return scriptedReply;
    }
    try {
      return switch (r.step()) {
        case LEONARDO_INIT_IMAGE -> initImage(r);
        case PRESIGNED_UPLOAD -> presignedUpload(r);
        case LEONARDO_GENERATIONS -> generations(r);
        case LEONARDO_STATUS -> leonardoStatus(r);
        case LEONARDO_CDN -> new Reply(200, Map.of("Content-Type", "image/jpeg"), Buffer.buffer(leonardoResult), 0);
        case REPLICATE_PREDICTIONS -> predictions(r);
        case REPLICATE_STATUS -> replicateStatus(r);
        case REPLICATE_CANCEL -> Reply.json(200, prediction(idFrom(r.path(), 1), "canceled", null, null));
        case REPLICATE_DELIVERY ->
          new Reply(200, Map.of("Content-Type", "image/jpeg"), Buffer.buffer(replicateResult), 0);
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
      .put("X-Amz-Signature", "0f1e2d3c4b5a");
    return Reply.json(200, new JsonObject().put("uploadInitImage", new JsonObject().put("id", id)
      .put("fields", fields.encode()).put("key", key).put("url", url("/storage/init-images"))));
  }

  /**
   * S3's presigned POST: the form fields plus the file, with a {@code Content-Length} (S3 answers a chunked body
   * with 411 {@code MissingContentLength}); refuses a second authentication mechanism.
   */
  private Reply presignedUpload(Received r) {
    if (r.headers().get("Content-Length") == null) {
      return new Reply(411, Map.of("Content-Type", "application/xml"), Buffer.buffer("<?xml version=\"1.0\""
        + " encoding=\"UTF-8\"?>\n<Error><Code>MissingContentLength</Code><Message>You must provide the"
        + " Content-Length HTTP header.</Message><RequestId>4Q1XK4M5Y7B2C9D0</RequestId>"
        + "<HostId>hPq3n0x8Zb1c2d3e4f5g6h7i8j9k0</HostId></Error>"), 0);
    }
    if (r.authorization() != null) {
      return new Reply(400, Map.of("Content-Type", "application/xml"), Buffer.buffer("<Error><Code>InvalidArgument"
        + "</Code><Message>Only one auth mechanism allowed</Message></Error>"), 0);
    }
    String key = r.form().get("key");
    Buffer file = r.files().get("file");
    if (key == null || r.form().get("Policy") == null || file == null || file.length() == 0) {
      return new Reply(400, Map.of("Content-Type", "application/xml"), Buffer.buffer("<Error><Code>InvalidArgument"
        + "</Code><Message>the policy, the key and the file are required</Message></Error>"), 0);
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
    return Reply.json(200, new JsonObject().put("sdGenerationJob",
      new JsonObject().put("generationId", id).put("apiCreditCost", 8)));
  }

  private Reply leonardoStatus(Received r) {
    String id = idFrom(r.path(), 0);
    AtomicInteger count = polls.get(id);
    if (count == null) {
      return Reply.json(200, new JsonObject().putNull("generations_by_pk"));
    }
    boolean done = count.incrementAndGet() > 1;
    JsonArray images = new JsonArray();
    if (done) {
      images.add(new JsonObject().put("url", url("/cdn/" + id + "/Default_interior_0.jpg")).put("nsfw", false)
        .put("id", "img-" + id).put("likeCount", 0).put("generated_image_variation_generics", new JsonArray()));
    }
    return Reply.json(200, new JsonObject().put("generations_by_pk", new JsonObject()
      .put("generated_images", images).put("modelId", "aa77f04e-3eec-4034-9c07-d0f619684628")
      .put("status", done ? "COMPLETE" : "PENDING").put("id", id)));
  }

  private Reply predictions(Received r) {
    JsonObject input = r.json().getJsonObject("input");
    String image = input == null ? null : input.getString("image");
    List<String> missing = new ArrayList<>();
    for (String field : List.of("prompt", "strength", "guidance_scale", "controlnet_conditioning_scale", "seed")) {
      if (input == null || input.getValue(field) == null) {
        missing.add(field);
      }
    }
    if (image == null || !(image.startsWith("data:image/") && validDataUri(image))) {
      missing.add("image");
    }
    if (!missing.isEmpty()) {
      return Reply.json(422, new JsonObject().put("title", "Input validation failed")
        .put("detail", "- input: missing or invalid " + missing).put("status", 422));
    }
    String id = "p" + Integer.toHexString(0x10000 + ids.incrementAndGet()) + "x7k2q";
    polls.put(id, new AtomicInteger());
    return Reply.json(201, prediction(id, "starting", null, null));
  }

  private static boolean validDataUri(String uri) {
    int comma = uri.indexOf(',');
    try {
      return comma > 0 && uri.substring(0, comma).endsWith(";base64")
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
    if (count.incrementAndGet() == 1) {
      return Reply.json(200, prediction(id, "processing", null, null));
    }
    JsonArray output = new JsonArray().add(url("/delivery/" + id + "/out-0.jpg"));
    return Reply.json(200, prediction(id, "succeeded", output, null));
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

  @Override
  public void close() throws Exception {
    RunningServer.await(vertx.close());
  }
}
