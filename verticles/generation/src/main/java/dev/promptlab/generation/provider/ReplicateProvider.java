package dev.promptlab.generation.provider;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.generation.image.EncodedImage;
import dev.promptlab.generation.image.InitImagePreparer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate predictions for a configurable Stable Diffusion image-to-image model:
 * <ol>
 *   <li>the render (upright, ≤ {@code max_edge}) goes inline as a data URI, or through {@code POST /files}
 *   when larger than {@code data_uri_max_bytes};</li>
 *   <li>{@code POST /predictions} (or {@code /models/{owner}/{name}/predictions}) with {@code Prefer: wait}
 *   and the inputs named in {@code input_names};</li>
 *   <li>unless already finished, {@code GET /predictions/{id}} until {@code succeeded}, {@code failed} or
 *   {@code canceled}; when the deadline passes first the prediction is cancelled
 *   ({@code POST /predictions/{id}/cancel}) so it stops costing;</li>
 *   <li>the first output is downloaded (without credentials) or decoded when it is a data URI.</li>
 * </ol>
 */
public final class ReplicateProvider implements ImageProvider {

  public static final String NAME = "replicate";
  private static final Logger LOG = LoggerFactory.getLogger(ReplicateProvider.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,100}");
  private static final int MAX_ERROR_CHARS = 200;

  private final ReplicateSettings settings;
  private final WebClient client;
  private final WorkerExecutor workers;
  private final ProviderHttp http;

  public ReplicateProvider(Vertx vertx, WebClient client, WorkerExecutor workers, ReplicateSettings settings) {
    this.settings = settings;
    this.client = client;
    this.workers = workers;
    this.http = new ProviderHttp(vertx, client, NAME, settings.resilience(), Math::random);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Buffer> generate(ProviderRequest request) {
    Deadline deadline = Deadline.in(settings.resilience().totalTimeoutMs());
    return workers.<EncodedImage>executeBlocking(
        () -> InitImagePreparer.prepare(request.original().getBytes(), settings.maxEdge(), 8), false)
      .compose(image -> imageReference(image, deadline))
      .compose(imageRef -> createPrediction(input(imageRef, request), deadline))
      .compose(prediction -> awaitOutput(prediction, deadline))
      .compose(output -> fetchOutput(output, deadline))
      .recover(http::unexpectedShape);
  }

  private HttpRequest<Buffer> api(HttpMethod method, String path) {
    return client.requestAbs(method, settings.baseUrl() + path)
      .putHeader("Authorization", "Bearer " + settings.apiToken().reveal())
      .putHeader("Accept", "application/json")
      .idleTimeout(settings.resilience().requestTimeoutMs());
  }

  private Future<String> imageReference(EncodedImage image, Deadline deadline) {
    long inlineSize = (image.bytes().length + 2L) / 3 * 4 + 32;
    if (inlineSize <= settings.dataUriMaxBytes()) {
      return workers.executeBlocking(() -> "data:" + image.format().contentType() + ";base64,"
        + Base64.getEncoder().encodeToString(image.bytes()), false);
    }
    return http.call("files", deadline, ProviderHttp.Retry.ONLY_IF_NOT_RECEIVED, () -> {
      MultipartForm form = MultipartForm.create().binaryFileUpload("content", "render." + image.format().extension(),
        Buffer.buffer(image.bytes()), image.format().contentType());
      return api(HttpMethod.POST, "/files").sendMultipartForm(form);
    }).map(response -> {
      JsonObject urls = http.json("files", response).getJsonObject("urls");
      String url = urls == null ? null : urls.getString("get");
      if (url == null || !url.startsWith("http")) {
        throw http.badResponse("files", "no file URL");
      }
      return url;
    });
  }

  /** The model input; package-visible so tests can check the mapping. */
  JsonObject input(String imageRef, ProviderRequest request) {
    GenerationParameters p = request.parameters();
    Map<String, String> names = settings.inputNames();
    JsonObject input = settings.extraInput().copy();
    putNamed(input, names.get("image"), imageRef);
    putNamed(input, names.get("prompt"), request.prompt().prompt() == null ? "" : request.prompt().prompt());
    String negative = request.prompt().negativePrompt();
    if (negative != null && !negative.isBlank()) {
      putNamed(input, names.get("negative_prompt"), negative);
    }
    putNamed(input, names.get("strength"), p.strength());
    putNamed(input, names.get("guidance_scale"), p.guidanceScale());
    putNamed(input, names.get("control_weight"), p.controlWeight());
    putNamed(input, names.get("seed"), request.seed() & 0x7FFFFFFFL);
    return input;
  }

  private static void putNamed(JsonObject input, String name, Object value) {
    if (name != null && !name.isEmpty()) {
      input.put(name, value);
    }
  }

  private Future<JsonObject> createPrediction(JsonObject input, Deadline deadline) {
    JsonObject body = new JsonObject().put("input", input);
    String path;
    if (settings.version() != null) {
      body.put("version", settings.version());
      path = "/predictions";
    } else {
      path = "/models/" + settings.model() + "/predictions";
    }
    int wait = (int) Math.max(1, Math.min(settings.waitSeconds(), deadline.remainingMs() / 1000 - 1));
    long stepTimeout = wait * 1000L + settings.resilience().requestTimeoutMs();
    return http.call("predictions", deadline, ProviderHttp.Retry.ONLY_IF_NOT_RECEIVED, stepTimeout,
        () -> api(HttpMethod.POST, path).putHeader("Prefer", "wait=" + wait)
          .idleTimeout(stepTimeout).sendJsonObject(body))
      .map(response -> http.json("predictions", response));
  }

  private Future<Object> awaitOutput(JsonObject prediction, Deadline deadline) {
    String id = prediction.getString("id");
    String status = prediction.getString("status", "");
    switch (status) {
      case "succeeded" -> {
        Object output = prediction.getValue("output");
        return output == null
          ? Future.failedFuture(http.badResponse("prediction", "a finished prediction without output"))
          : Future.succeededFuture(output);
      }
      case "failed" -> {
        return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.OTHER,
          "replicate prediction failed: " + shortError(prediction.getValue("error"))));
      }
      case "canceled", "aborted" -> {
        return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.OTHER, "replicate prediction was " + status));
      }
      case "starting", "processing" -> {
        if (id == null || !ID.matcher(id).matches()) {
          return Future.failedFuture(http.badResponse("prediction", "a running prediction without a usable id"));
        }
        return http.pause(deadline, "the prediction")
          .compose(done -> http.call("prediction status", deadline, ProviderHttp.Retry.SAFE,
            () -> api(HttpMethod.GET, "/predictions/" + id).send()))
          .recover(failure -> failure instanceof ProviderFailure pf && pf.kind() == ProviderFailure.Kind.TIMEOUT
            ? cancel(id).transform(ignored -> Future.failedFuture(failure))
            : Future.failedFuture(failure))
          .compose(response -> awaitOutput(http.json("prediction status", response), deadline));
      }
      default -> {
        return Future.failedFuture(http.badResponse("prediction", "an unknown status"));
      }
    }
  }

  /** Best effort: a prediction we stopped waiting for should not keep running (and billing). */
  private Future<Void> cancel(String id) {
    return api(HttpMethod.POST, "/predictions/" + id + "/cancel").send()
      .timeout(settings.resilience().requestTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
      .onSuccess(response -> LOG.info("replicate prediction {} cancelled after the deadline (HTTP {})", id,
        response.statusCode()))
      .onFailure(failure -> LOG.warn("replicate prediction {} could not be cancelled: {}", id, failure.toString()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  private Future<Buffer> fetchOutput(Object output, Deadline deadline) {
    Object first = output instanceof JsonArray array ? (array.isEmpty() ? null : array.getValue(0)) : output;
    if (!(first instanceof String url)) {
      return Future.failedFuture(http.badResponse("prediction", "an output that is not an image URL"));
    }
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
        return Future.failedFuture(http.badResponse("prediction", "an output data URI that is not base64"));
      }
      return workers.executeBlocking(() -> Buffer.buffer(Base64.getDecoder().decode(url.substring(comma + 1))), false)
        .recover(e -> Future.failedFuture(http.badResponse("prediction", "an output data URI that does not decode")));
    }
    return http.download(url, deadline);
  }

  private static String shortError(Object error) {
    if (error == null) {
      return "no reason given";
    }
    String text = String.valueOf(error).replaceAll("\\s+", " ").trim();
    return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "…" : text;
  }
}
