package dev.promptlab.generation.provider;

import dev.promptlab.generation.image.TestImages;
import dev.promptlab.generation.provider.ScriptedHttpServer.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Default routes that speak the wire format of the real services: Leonardo REST v1 (init-image with a
 * presigned multipart upload, generations, generation status) and Replicate (predictions, files, cancel),
 * plus a file host for the finished images.
 */
public final class FakeApis {

  public static final String LEONARDO_ROOT = "/api/rest/v1";
  public static final String REPLICATE_ROOT = "/v1";
  /** The finished image the fake services hand out: a real JPEG. */
  public static final byte[] RESULT_JPEG = TestImages.jpeg(TestImages.interior(256, 192, false));

  private FakeApis() {
  }

  public static ScriptedHttpServer leonardo(ScriptedHttpServer server) {
    return server
      .on("POST", LEONARDO_ROOT + "/init-image", r -> Reply.json(new JsonObject().put("uploadInitImage", new JsonObject()
        .put("id", "init-7f3a")
        .put("url", server.url("/presigned-upload"))
        .put("key", "users/u1/initImages/init-7f3a.jpg")
        // Leonardo sends the form fields as a JSON document inside a string.
        .put("fields", new JsonObject().put("key", "users/u1/initImages/init-7f3a.jpg").put("Policy", "cG9saWN5")
          .put("X-Amz-Signature", "abc123").encode()))))
      .on("POST", "/presigned-upload", FakeApis::presignedUpload)
      .on("POST", LEONARDO_ROOT + "/generations", r -> Reply.json(new JsonObject().put("sdGenerationJob",
        new JsonObject().put("generationId", "gen-5b1c").put("apiCreditCost", 8))))
      .on("GET", LEONARDO_ROOT + "/generations/", r -> Reply.json(leonardoStatus("COMPLETE", server.url("/cdn/gen-5b1c/0.jpg"))))
      .on("GET", "/cdn/", r -> Reply.bytes(RESULT_JPEG, "image/jpeg"));
  }

  /**
   * S3's presigned POST: like S3, it refuses a body without a {@code Content-Length} (a chunked one) with 411
   * {@code MissingContentLength}, and wants the file.
   */
  static Reply presignedUpload(ScriptedHttpServer.Recorded r) {
    if (r.headers().get("Content-Length") == null) {
      return new Reply(411, Map.of("Content-Type", "application/xml"), Buffer.buffer(S3_MISSING_CONTENT_LENGTH), 0, false);
    }
    if (r.files().get("file") == null) {
      return new Reply(400, Map.of("Content-Type", "application/xml"), Buffer.buffer("<?xml version=\"1.0\" "
        + "encoding=\"UTF-8\"?>\n<Error><Code>InvalidArgument</Code><Message>POST requires exactly one file upload per"
        + " request.</Message></Error>"), 0, false);
    }
    return Reply.status(204);
  }

  /** S3's answer to an upload without a Content-Length. */
  static final String S3_MISSING_CONTENT_LENGTH = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
    + "<Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header.</Message>"
    + "<RequestId>4Q1XK4M5Y7B2C9D0</RequestId><HostId>hPq3n0x8Zb1c2d3e4f5g6h7i8j9k0</HostId></Error>";

  public static JsonObject leonardoStatus(String status, String imageUrl) {
    JsonArray images = new JsonArray();
    if (imageUrl != null) {
      images.add(new JsonObject().put("url", imageUrl).put("nsfw", false).put("id", "img-1"));
    }
    return new JsonObject().put("generations_by_pk", new JsonObject()
      .put("id", "gen-5b1c").put("status", status).put("generated_images", images));
  }

  public static ScriptedHttpServer replicate(ScriptedHttpServer server) {
    return server
      .on("POST", REPLICATE_ROOT + "/predictions/", r -> Reply.json(prediction("pred9x", "canceled", null)))
      .on("POST", REPLICATE_ROOT + "/predictions", r -> Reply.json(201,
        prediction("pred9x", "succeeded", new JsonArray().add(server.url("/delivery/pred9x/out-0.jpg")))))
      .on("POST", REPLICATE_ROOT + "/models/", r -> Reply.json(201,
        prediction("pred9x", "succeeded", new JsonArray().add(server.url("/delivery/pred9x/out-0.jpg")))))
      .on("GET", REPLICATE_ROOT + "/predictions/", r -> Reply.json(
        prediction("pred9x", "succeeded", new JsonArray().add(server.url("/delivery/pred9x/out-0.jpg")))))
      .on("POST", REPLICATE_ROOT + "/files", r -> Reply.json(201, new JsonObject().put("id", "file1")
        .put("urls", new JsonObject().put("get", server.url("/files/file1")))))
      .on("GET", "/delivery/", r -> Reply.bytes(RESULT_JPEG, "image/jpeg"));
  }

  /** AUTOMATIC1111's web UI API: one synchronous img2img call answering with base64 images. */
  public static ScriptedHttpServer automatic1111(ScriptedHttpServer server) {
    return server.on("POST", "/sdapi/v1/img2img", r -> Reply.json(new JsonObject()
      .put("images", new JsonArray().add(java.util.Base64.getEncoder().encodeToString(RESULT_JPEG)))
      .put("parameters", new JsonObject()).put("info", "{}")));
  }

  public static JsonObject prediction(String id, String status, Object output) {
    JsonObject prediction = new JsonObject().put("id", id).put("status", status).put("model", "stability-ai/sdxl")
      .put("urls", new JsonObject().put("get", "https://api.replicate.com/v1/predictions/" + id)
        .put("cancel", "https://api.replicate.com/v1/predictions/" + id + "/cancel"));
    if (output != null) {
      prediction.put("output", output);
    } else {
      prediction.putNull("output");
    }
    return prediction;
  }
}
