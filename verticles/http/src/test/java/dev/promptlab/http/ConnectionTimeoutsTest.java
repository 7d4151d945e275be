package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections that hold the server without using it are closed: headers sent slowly, a body that stops, a
 * connection left idle after its answer. A second instance with short limits is deployed for this; each test
 * waits for the end of the stream (the socket timeout is only a safety net), never for a span of time.
 */
class ConnectionTimeoutsTest extends HttpTestBase {

  private static final long SHORT_MS = 300;
  private static int shortPort;
  private static String shortDeployment;

  @BeforeAll
  static void deployWithShortLimits() throws Exception {
    JsonObject config = new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("db", TestDatabase.pgOptions())
      .put("webroot", Path.of("../../webroot").toString())
      .put("uploads_dir", Files.createTempDirectory(Path.of("target"), "uploads-short").toString())
      .put("max_upload_bytes", MAX_UPLOAD).put("admin_token", ADMIN_TOKEN)
      .put("bus_timeout_ms", 10_000).put("optimizer_timeout_ms", 3_000).put("ping_timeout_ms", 500)
      .put("password_iterations", 1_000).put("secure_cookies", false).put("shutdown_grace_ms", 2_000)
      .put("header_timeout_ms", SHORT_MS).put("body_timeout_ms", SHORT_MS).put("idle_timeout_ms", SHORT_MS);
    HttpVerticle server = new HttpVerticle();
    shortDeployment = await(vertx.deployVerticle(server, new DeploymentOptions().setConfig(config)));
    shortPort = server.actualPort();
  }

  @AfterAll
  static void undeploy() {
    await(vertx.undeploy(shortDeployment));
  }

  @Test
  void headersSentSlowlyAreCutOff() throws Exception {
    try (Socket socket = RawHttp.connect(shortPort)) {
      OutputStream out = socket.getOutputStream();
      // The request line and one header, and then nothing: the blank line that ends the headers never comes.
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(RawHttp.ended(socket), "the server closed the connection without an answer");
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (Socket socket = RawHttp.connect(shortPort)) {
      assertTrue(RawHttp.ended(socket));
    }
  }

  @Test
  void aBodyThatStopsHalfwayGets408AndTheConnectionIsClosed() throws Exception {
    try (Socket socket = RawHttp.connect(shortPort)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/train/rate", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: application/json", "Content-Length: 100"));
      out.write("{\"experiment_id\":".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      RawHttp.Response response = RawHttp.read(socket, true);
      assertEquals(408, response.status(), response.toString());
      assertEquals("close", response.headers().get("connection"));
      assertTrue(response.closed(), "the connection is closed after the answer");
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenNoNextRequestComes() throws Exception {
    try (Socket socket = RawHttp.connect(shortPort)) {
      socket.getOutputStream().write(RawHttp.head("GET /health"));
      socket.getOutputStream().flush();
      RawHttp.Response response = RawHttp.read(socket, false);
      assertEquals(200, response.status());
      assertFalse("close".equals(response.headers().get("connection")), "kept alive after the answer");
      assertTrue(RawHttp.ended(socket), "closed once idle");
    }
  }

  @Test
  void aRequestWaitingForItsAnswerIsNotCut() throws Exception {
    fakes.hold();
    try (Socket socket = RawHttp.connect(shortPort)) {
      byte[] body = multipart(pngWithAlpha());
      socket.getOutputStream().write(RawHttp.head("POST /api/enhance/train", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: multipart/form-data; boundary=" + BOUNDARY, "Content-Length: " + body.length));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      // Both variants are being generated. A connection opened now and left silent is closed once the header
      // limit has passed: that event shows the upload has been waiting longer than the limits.
      assertTrue(fakes.held.tryAcquire(2, RawHttp.SAFETY_NET_MS, TimeUnit.MILLISECONDS));
      try (Socket witness = RawHttp.connect(shortPort)) {
        assertTrue(RawHttp.ended(witness));
      }
      fakes.release();
      RawHttp.Response response = RawHttp.read(socket, false);
      assertEquals(200, response.status(), response.toString());
    }
  }

  private static final String BOUNDARY = "----promptlab-timeouts";

  static byte[] multipart(byte[] png) {
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"r.png\"\r\n"
      + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(png);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
