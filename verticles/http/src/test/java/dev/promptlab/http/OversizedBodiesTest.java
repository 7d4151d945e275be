package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Over-limit bodies from clients that write everything before reading (as Python requests or curl with a big file
 * do), driven through a raw socket: the 413 arrives with {@code Connection: close} and the JSON error, and the
 * server closes the connection after it. Every wait is on an event (the response bytes, the end of the stream, a
 * failed write); the socket timeout is only a safety net.
 */
class OversizedBodiesTest extends HttpTestBase {

  private static final String BOUNDARY = "----promptlab-test-boundary";

  @Test
  void aDeclaredUploadOverTheLimitIsReadWholeAnsweredAndClosed() throws Exception {
    int size = (int) MAX_UPLOAD + 1024 * 1024;
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/enhance/train", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + size));
      out.write(new byte[size]);
      out.flush();
      assertRefusedAndClosed(RawHttp.read(socket, true), "at most " + MAX_UPLOAD);
    }
  }

  @Test
  void aChunkedUploadCrossingTheLimitIsAnsweredAndClosedOnceItEnds() throws Exception {
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/enhance/train", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: multipart/form-data; boundary=" + BOUNDARY, "Transfer-Encoding: chunked"));
      byte[] part = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      chunk(out, part);
      byte[] filler = new byte[64 * 1024];
      Arrays.fill(filler, (byte) 'x');
      for (long sent = 0; sent < MAX_UPLOAD + 1024 * 1024; sent += filler.length) {
        chunk(out, filler);
      }
      chunk(out, ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertRefusedAndClosed(RawHttp.read(socket, true), "larger than this server accepts");
    }
    assertEquals(0, rows("experiments"), "nothing of the refused upload was stored");
  }

  @Test
  void aJsonBodyOverItsLimitIsAnsweredAndClosed() throws Exception {
    int size = 64 * 1024 + 1;
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/train/rate", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: application/json", "Content-Length: " + size));
      out.write(new byte[size]);
      out.flush();
      assertRefusedAndClosed(RawHttp.read(socket, true), "at most 65536");
    }
  }

  @Test
  void theTrainerPageUploadIsRefusedTheSameWay() throws Exception {
    int size = (int) MAX_UPLOAD + 1;
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /ui/enhance", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + size));
      out.write(new byte[size]);
      out.flush();
      RawHttp.Response response = RawHttp.read(socket, true);
      assertEquals(413, response.status(), response.toString());
      assertEquals("close", response.headers().get("connection"), response.toString());
      assertTrue(response.closed(), "the connection is closed after the answer");
    }
  }

  @Test
  void anExpectedContinueOverTheLimitIsAnswered413WithoutTheBody() throws Exception {
    try (Socket socket = RawHttp.connect(port)) {
      socket.getOutputStream().write(RawHttp.head("POST /api/enhance/train",
        "Content-Type: multipart/form-data; boundary=" + BOUNDARY, "Content-Length: " + (MAX_UPLOAD + 1),
        "Expect: 100-continue"));
      socket.getOutputStream().flush();
      // The body is never sent: the server answers and closes at once, with no "100 Continue" first.
      assertRefusedAndClosed(RawHttp.read(socket, true), "at most " + MAX_UPLOAD);
    }
  }

  @Test
  void anExpectedContinueWithinTheLimitStillGetsContinue() throws Exception {
    byte[] body = new JsonObject().put("experiment_id", "exp_none").put("ratings", new io.vertx.core.json.JsonArray())
      .encode().getBytes(StandardCharsets.UTF_8);
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/train/rate", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: application/json", "Content-Length: " + body.length, "Expect: 100-continue",
        "Connection: close"));
      out.flush();
      InputStream in = socket.getInputStream();
      assertEquals("HTTP/1.1 100 Continue", RawHttp.readLine(in));
      assertEquals("", RawHttp.readLine(in));
      out.write(body);
      out.flush();
      RawHttp.Response response = RawHttp.read(socket, true);
      assertNotEquals(413, response.status(), response.toString());
      assertTrue(response.status() == 400 || response.status() == 404, "the body reached the route: " + response);
    }
  }

  @Test
  void aClientThatNeverStopsIsCutOffAfterTheDrainLimit() throws Exception {
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /api/enhance/train", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + (1L << 40)));
      out.flush();
      CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return RawHttp.read(socket, true);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] chunk = new byte[64 * 1024];
      long written = 0;
      long ceiling = 16 * REFUSED_BODY_DRAIN;
      IOException cutOff = null;
      try {
        while (written < ceiling) {
          out.write(chunk);
          written += chunk.length;
        }
      } catch (IOException e) {
        cutOff = e;
      }
      assertTrue(cutOff != null, "the server cut the connection before " + ceiling + " bytes; wrote " + written);
      assertTrue(written >= REFUSED_BODY_DRAIN, "it discarded the drain limit first; wrote " + written);
      RawHttp.Response response = answer.get(RawHttp.SAFETY_NET_MS, TimeUnit.MILLISECONDS);
      assertEquals(413, response.status(), response.toString());
      assertEquals("close", response.headers().get("connection"));
      assertTrue(response.closed());
    }
  }

  private static void assertRefusedAndClosed(RawHttp.Response response, String message) {
    assertEquals(413, response.status(), response.toString());
    assertEquals("close", response.headers().get("connection"), response.toString());
    assertTrue(response.headers().getOrDefault("content-type", "").startsWith("application/json"), response.toString());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("too_large", error.getString("code"));
    assertTrue(error.getString("message").contains(message), error.encode());
    assertTrue(response.closed(), "the server closed the connection after the answer");
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }
}
