package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code max_concurrent_uploads} uploads in progress (held at generation by the fake), the next upload gets
 * 503 with Retry-After before its body is read, even when the client writes the whole body before reading; its
 * body is discarded and its connection closed; once they are answered, a slot is free again.
 */
class UploadSlotsTest extends HttpTestBase {

  private static int cappedPort;
  private static String cappedDeployment;

  @BeforeAll
  static void deployWithOneSlot() throws Exception {
    JsonObject config = new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("db", TestDatabase.pgOptions())
      .put("webroot", Path.of("../../webroot").toString())
      .put("uploads_dir", Files.createTempDirectory(Path.of("target"), "uploads-capped").toString())
      .put("max_upload_bytes", MAX_UPLOAD).put("admin_token", ADMIN_TOKEN)
      .put("bus_timeout_ms", 10_000).put("optimizer_timeout_ms", 3_000).put("ping_timeout_ms", 500)
      .put("password_iterations", 1_000).put("secure_cookies", false).put("shutdown_grace_ms", 2_000)
      .put("max_concurrent_uploads", 1).put("retry_after_seconds", 3);
    HttpVerticle server = new HttpVerticle();
    cappedDeployment = await(vertx.deployVerticle(server, new DeploymentOptions().setConfig(config)));
    cappedPort = server.actualPort();
  }

  @AfterAll
  static void undeploy() {
    await(vertx.undeploy(cappedDeployment));
  }

  @Test
  void anUploadBeyondTheCapIsRefusedUnreadUntilASlotIsFree() throws Exception {
    fakes.hold();
    Future<HttpResponse<Buffer>> first = uploadTo(cappedPort);
    assertTrue(fakes.held.tryAcquire(2, RawHttp.SAFETY_NET_MS, TimeUnit.MILLISECONDS), "the first upload is generating");

    try (Socket socket = RawHttp.connect(cappedPort)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/enhance/train", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: multipart/form-data; boundary=x", "Content-Length: 100000"));
      // As Python requests or Java's HttpClient do: the whole body first, then the answer is read.
      out.write(new byte[100_000]);
      out.flush();
      RawHttp.Response refused = RawHttp.read(socket, true);
      assertEquals(503, refused.status(), refused.toString());
      assertEquals("3", refused.headers().get("retry-after"));
      assertEquals("close", refused.headers().get("connection"));
      assertEquals("busy", new JsonObject(refused.body()).getJsonObject("error").getString("code"));
      assertTrue(refused.closed(), "the connection is closed once the refused body has been discarded");
    }

    fakes.release();
    assertEquals(200, await(first).statusCode());
    assertEquals(200, await(uploadTo(cappedPort)).statusCode(), "the slot was given back");
  }

  private static Future<HttpResponse<Buffer>> uploadTo(int port) throws Exception {
    MultipartForm form = MultipartForm.create()
      .binaryFileUpload("image", "r.png", Buffer.buffer(pngWithAlpha()), "image/png");
    return client.request(HttpMethod.POST, port, "127.0.0.1", "/api/enhance/train")
      .putHeader("authorization", "Bearer " + TRAINER_TOKEN).sendMultipartForm(form);
  }
}
