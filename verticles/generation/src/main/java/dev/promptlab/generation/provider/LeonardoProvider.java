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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Leonardo.Ai REST v1, image to image with structure guidance:
 * <ol>
 *   <li>{@code POST /init-image} → presigned upload details; the init image (upright, ≤ {@code max_edge},
 *   sides multiples of 8) is posted as a multipart form with the returned fields, with a
 *   {@code Content-Length} as S3 requires ({@link MultipartBody});</li>
 *   <li>{@code POST /generations} with prompt, negative prompt, {@code init_image_id}, {@code init_strength}
 *   (= strength), {@code guidance_scale} (Leonardo takes whole numbers: rounded, see {@link #applied}), a seed
 *   and one ControlNet
 *   entry on the same image with {@code weight} (= control weight);</li>
 *   <li>{@code GET /generations/{id}} until {@code COMPLETE} or {@code FAILED};</li>
 *   <li>the first generated image is downloaded (without credentials).</li>
 * </ol>
 * Job creation is retried only after a 429 or a refused connection; reads and the upload are retried on
 * any transient failure.
 */
public final class LeonardoProvider implements ImageProvider {

  public static final String NAME = "leonardo";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

  private final LeonardoSettings settings;
  private final WebClient client;
  private final WorkerExecutor workers;
  private final ProviderHttp http;

  public LeonardoProvider(Vertx vertx, WebClient client, WorkerExecutor workers, LeonardoSettings settings) {
    this.settings = settings;
    this.client = client;
    this.workers = workers;
    this.http = new ProviderHttp(vertx, client, NAME, settings.resilience(), Math::random);
  }

  @Override
  public String name() {
    return NAME;
  }

  private record Upload(String initImageId, String url, JsonObject fields) {
  }

  @Override
  public Future<Buffer> generate(ProviderRequest request) {
    Deadline deadline = Deadline.in(settings.resilience().totalTimeoutMs());
    return workers.<EncodedImage>executeBlocking(
        () -> InitImagePreparer.prepare(request.original().getBytes(), settings.maxEdge(), 8), false)
      .compose(init -> requestUpload(init, deadline)
        .compose(upload -> uploadInitImage(upload, init, deadline).map(done -> upload.initImageId()))
        .compose(initImageId -> createGeneration(initImageId, init, request, deadline)))
      .compose(generationId -> awaitImageUrl(generationId, deadline))
      .compose(url -> http.download(url, deadline))
      .recover(http::unexpectedShape);
  }

  /** Leonardo takes {@code guidance_scale} as a whole number only: rounded to the nearest one. */
  @Override
  public GenerationParameters applied(GenerationParameters requested) {
    return new GenerationParameters(requested.api(), requested.strength(), Math.round(requested.guidanceScale()),
      requested.controlWeight());
  }

  private HttpRequest<Buffer> api(HttpMethod method, String path) {
    return client.requestAbs(method, settings.baseUrl() + path)
      .putHeader("Authorization", "Bearer " + settings.apiKey().reveal())
      .putHeader("Accept", "application/json")
      .idleTimeout(settings.resilience().requestTimeoutMs());
  }

  private Future<Upload> requestUpload(EncodedImage init, Deadline deadline) {
    JsonObject body = new JsonObject().put("extension", init.format().extension());
    return http.call("init-image", deadline, ProviderHttp.Retry.ONLY_IF_NOT_RECEIVED,
        () -> api(HttpMethod.POST, "/init-image").sendJsonObject(body))
      .map(response -> {
        JsonObject upload = http.json("init-image", response).getJsonObject("uploadInitImage");
        if (upload == null) {
          throw http.badResponse("init-image", "no uploadInitImage");
        }
        String id = upload.getString("id");
        String url = upload.getString("url");
        Object rawFields = upload.getValue("fields");
        if (id == null || !ID.matcher(id).matches() || url == null || !url.startsWith("http")) {
          throw http.badResponse("init-image", "no usable upload id or URL");
        }
        JsonObject fields;
        try {
          fields = rawFields instanceof JsonObject object ? object : new JsonObject((String) rawFields);
        } catch (RuntimeException e) {
          throw http.badResponse("init-image", "upload fields that are not a JSON object");
        }
        return new Upload(id, url, fields);
      });
  }

  private Future<Void> uploadInitImage(Upload upload, EncodedImage init, Deadline deadline) {
    Map<String, String> fields = new LinkedHashMap<>();
    upload.fields().forEach(field -> fields.put(field.getKey(), String.valueOf(field.getValue())));
    // Built whole so that it is sent with a Content-Length, which S3's presigned POST requires.
    MultipartBody form = MultipartBody.of(fields, "file", "init." + init.format().extension(),
      init.format().contentType(), Buffer.buffer(init.bytes()));
    return http.call("init-image upload", deadline, ProviderHttp.Retry.SAFE, () ->
      // A presigned storage URL: no Leonardo credentials go there.
      client.requestAbs(HttpMethod.POST, upload.url())
        .putHeader("Content-Type", form.contentType())
        .idleTimeout(settings.resilience().requestTimeoutMs())
        .sendBuffer(form.body())).mapEmpty();
  }

  private Future<String> createGeneration(String initImageId, EncodedImage init, ProviderRequest request,
                                          Deadline deadline) {
    JsonObject body = generationBody(initImageId, init.width(), init.height(), request);
    return http.call("generations", deadline, ProviderHttp.Retry.ONLY_IF_NOT_RECEIVED,
        () -> api(HttpMethod.POST, "/generations").sendJsonObject(body))
      .map(response -> {
        JsonObject job = http.json("generations", response).getJsonObject("sdGenerationJob");
        String id = job == null ? null : job.getString("generationId");
        if (id == null || !ID.matcher(id).matches()) {
          throw http.badResponse("generations", "no generation id");
        }
        return id;
      });
  }

  /** The request body of {@code POST /generations}; package-visible so tests can check the mapping. */
  JsonObject generationBody(String initImageId, int width, int height, ProviderRequest request) {
    GenerationParameters p = applied(request.parameters());
    JsonObject body = settings.extra().copy()
      .put("prompt", request.prompt().prompt() == null ? "" : request.prompt().prompt())
      .put("modelId", settings.modelId())
      .put("width", width)
      .put("height", height)
      .put("num_images", 1)
      .put("init_image_id", initImageId)
      .put("init_strength", p.strength())
      .put("guidance_scale", (int) p.guidanceScale())
      .put("seed", request.seed() & 0x7FFFFFFFL)
      .put("controlnets", new JsonArray().add(new JsonObject()
        .put("initImageId", initImageId)
        .put("initImageType", "UPLOADED")
        .put("preprocessorId", settings.preprocessorId())
        .put("weight", p.controlWeight())));
    String negative = request.prompt().negativePrompt();
    if (negative != null && !negative.isBlank()) {
      body.put("negative_prompt", negative);
    }
    return body;
  }

  private Future<String> awaitImageUrl(String generationId, Deadline deadline) {
    return http.call("generation status", deadline, ProviderHttp.Retry.SAFE,
        () -> api(HttpMethod.GET, "/generations/" + generationId).send())
      .compose(response -> {
        JsonObject generation = http.json("generation status", response).getJsonObject("generations_by_pk");
        String status = generation == null ? "PENDING" : generation.getString("status", "PENDING");
        switch (status) {
          case "COMPLETE" -> {
            JsonArray images = generation.getJsonArray("generated_images");
            JsonObject first = images == null || images.isEmpty() ? null : images.getJsonObject(0);
            return first == null
              ? Future.failedFuture(http.badResponse("generation status", "a complete generation without images"))
              : Future.succeededFuture(first.getString("url"));
          }
          case "FAILED" -> {
            return Future.failedFuture(new ProviderFailure(ProviderFailure.Kind.OTHER,
              "leonardo reported that the generation failed"));
          }
          default -> {
            return http.pause(deadline, "the generation").compose(done -> awaitImageUrl(generationId, deadline));
          }
        }
      });
  }
}
