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
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A self-hosted AUTOMATIC1111 Stable Diffusion web UI: one synchronous {@code POST /sdapi/v1/img2img} with
 * the render as init image, {@code denoising_strength} (= strength), {@code cfg_scale} (= guidance scale),
 * a seed and, when a ControlNet model is configured, one ControlNet unit on the same image with
 * {@code weight} (= control weight). The answer carries the image as base64. The call creates work on
 * the server, so it is retried only after a 429 or a refused connection.
 */
public final class Automatic1111Provider implements ImageProvider {

  public static final String NAME = "automatic1111";

  private final Automatic1111Settings settings;
  private final WebClient client;
  private final WorkerExecutor workers;
  private final ProviderHttp http;

  public Automatic1111Provider(Vertx vertx, WebClient client, WorkerExecutor workers, Automatic1111Settings settings) {
    this.settings = settings;
    this.client = client;
    this.workers = workers;
    this.http = new ProviderHttp(vertx, client, NAME, settings.resilience(), Math::random);
  }

  @Override
  public String name() {
    return NAME;
  }

  private record Prepared(EncodedImage image, String base64) {
  }

  @Override
  public Future<Buffer> generate(ProviderRequest request) {
    Deadline deadline = Deadline.in(settings.resilience().totalTimeoutMs());
    return workers.<Prepared>executeBlocking(() -> {
        EncodedImage init = InitImagePreparer.prepare(request.original().getBytes(), settings.maxEdge(), 8);
        return new Prepared(init, Base64.getEncoder().encodeToString(init.bytes()));
      }, false)
      .compose(prepared -> {
        JsonObject body = body(prepared.base64(), prepared.image().width(), prepared.image().height(), request);
        // One synchronous render: the whole remaining budget is this step's timeout.
        return http.call("img2img", deadline, ProviderHttp.Retry.ONLY_IF_NOT_RECEIVED, deadline.remainingMs(),
          () -> api().idleTimeout(Math.max(1, deadline.remainingMs())).sendJsonObject(body));
      })
      .compose(response -> {
        JsonArray images = http.json("img2img", response).getJsonArray("images");
        Object first = images == null || images.isEmpty() ? null : images.getValue(0);
        if (!(first instanceof String encoded) || encoded.isEmpty()) {
          return Future.failedFuture(http.badResponse("img2img", "no image"));
        }
        return workers.executeBlocking(() -> Buffer.buffer(Base64.getDecoder().decode(stripDataPrefix(encoded))), false)
          .recover(e -> Future.failedFuture(http.badResponse("img2img", "an image that is not base64")));
      })
      .recover(http::unexpectedShape);
  }

  private HttpRequest<Buffer> api() {
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.POST, settings.baseUrl() + "/sdapi/v1/img2img")
      .putHeader("Accept", "application/json");
    if (settings.apiAuth() != null) {
      request.putHeader("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString(settings.apiAuth().reveal().getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  /** The request body; package-visible so tests can check the mapping. */
  JsonObject body(String imageBase64, int width, int height, ProviderRequest request) {
    GenerationParameters p = request.parameters();
    JsonObject body = settings.extra().copy()
      .put("init_images", new JsonArray().add(imageBase64))
      .put("prompt", request.prompt().prompt() == null ? "" : request.prompt().prompt())
      .put("negative_prompt", request.prompt().negativePrompt() == null ? "" : request.prompt().negativePrompt())
      .put("denoising_strength", p.strength())
      .put("cfg_scale", p.guidanceScale())
      .put("seed", request.seed() & 0x7FFFFFFFL)
      .put("steps", settings.steps())
      .put("width", width)
      .put("height", height)
      .put("batch_size", 1)
      .put("n_iter", 1);
    if (settings.controlnetModel() != null) {
      body.put("alwayson_scripts", new JsonObject().put("controlnet", new JsonObject().put("args", new JsonArray()
        .add(new JsonObject()
          .put("enabled", true)
          .put("image", imageBase64)
          .put("module", settings.controlnetModule())
          .put("model", settings.controlnetModel())
          .put("weight", p.controlWeight())))));
    }
    return body;
  }

  private static String stripDataPrefix(String encoded) {
    int comma = encoded.indexOf(',');
    return encoded.startsWith("data:") && comma > 0 ? encoded.substring(comma + 1) : encoded;
  }
}
