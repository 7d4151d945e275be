package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

  private static final int SAFETY_NET_MS = 60_000;
  private static final String BOUNDARY = "----promptlab-test-boundary";

  @Test
  void aDeclaredUploadOverTheLimitIsReadWholeAnsweredAndClosed() throws Exception {
    int size = (int) MAX_UPLOAD + 1024 * 1024;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /api/enhance/train", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + size));
      out.write(new byte[size]);
      out.flush();
      assertRefusedAndClosed(readToEnd(socket), "at most " + MAX_UPLOAD);
    }
  }

  @Test
  void aChunkedUploadCrossingTheLimitIsAnsweredAndClosedOnceItEnds() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /api/enhance/train", "Authorization: Bearer " + TRAINER_TOKEN,
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
      assertRefusedAndClosed(readToEnd(socket), "larger than this server accepts");
    }
    assertEquals(0, rows("experiments"), "nothing of the refused upload was stored");
  }

  @Test
  void aJsonBodyOverItsLimitIsAnsweredAndClosed() throws Exception {
    int size = 64 * 1024 + 1;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /api/train/rate", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: application/json", "Content-Length: " + size));
      out.write(new byte[size]);
      out.flush();
      assertRefusedAndClosed(readToEnd(socket), "at most 65536");
    }
  }

  @Test
  void theTrainerPageUploadIsRefusedTheSameWay() throws Exception {
    int size = (int) MAX_UPLOAD + 1;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /ui/enhance", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + size));
      out.write(new byte[size]);
      out.flush();
      Response response = readToEnd(socket);
      assertEquals(413, response.status(), response.toString());
      assertEquals("close", response.headers().get("connection"), response.toString());
      assertTrue(response.closed(), "the connection is closed after the answer");
    }
  }

  @Test
  void anExpectedContinueOverTheLimitIsAnswered413WithoutTheBody() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(head("POST /api/enhance/train",
        "Content-Type: multipart/form-data; boundary=" + BOUNDARY, "Content-Length: " + (MAX_UPLOAD + 1),
        "Expect: 100-continue"));
      socket.getOutputStream().flush();
      // The body is never sent: the server answers and closes at once, with no "100 Continue" first.
      assertRefusedAndClosed(readToEnd(socket), "at most " + MAX_UPLOAD);
    }
  }

  @Test
  void anExpectedContinueWithinTheLimitStillGetsContinue() throws Exception {
    byte[] body = new JsonObject().put("experiment_id", "exp_none").put("ratings", new io.vertx.core.json.JsonArray())
      .encode().getBytes(StandardCharsets.UTF_8);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /api/train/rate", "Authorization: Bearer " + TRAINER_TOKEN,
        "Content-Type: application/json", "Content-Length: " + body.length, "Expect: 100-continue",
        "Connection: close"));
      out.flush();
      InputStream in = socket.getInputStream();
      assertEquals("HTTP/1.1 100 Continue", readLine(in));
      assertEquals("", readLine(in));
      out.write(body);
      out.flush();
      Response response = readToEnd(socket);
      assertNotEquals(413, response.status(), response.toString());
      assertTrue(response.status() == 400 || response.status() == 404, "the body reached the route: " + response);
    }
  }

  @Test
  void aClientThatNeverStopsIsCutOffAfterTheDrainLimit() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST /api/enhance/train", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + (1L << 40)));
      out.flush();
      CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return readToEnd(socket);
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
      Response response = answer.get(SAFETY_NET_MS, TimeUnit.MILLISECONDS);
      assertEquals(413, response.status(), response.toString());
      assertEquals("close", response.headers().get("connection"));
      assertTrue(response.closed());
    }
  }

  // --- a minimal HTTP/1.1 client that writes first and reads afterwards ------------------------------------------

  private record Response(int status, Map<String, String> headers, String body, boolean closed) {
  }

  private static void assertRefusedAndClosed(Response response, String message) {
    assertEquals(413, response.status(), response.toString());
    assertEquals("close", response.headers().get("connection"), response.toString());
    assertTrue(response.headers().getOrDefault("content-type", "").startsWith("application/json"), response.toString());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("too_large", error.getString("code"));
    assertTrue(error.getString("message").contains(message), error.encode());
    assertTrue(response.closed(), "the server closed the connection after the answer");
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(SAFETY_NET_MS);
    return socket;
  }

  private static byte[] head(String requestLine, String... headers) {
    StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads the response and then on until the server closes the connection; {@code closed} says whether it did
   * (end of stream or a reset once the response was complete). A socket timeout fails the test.
   */
  private static Response readToEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine = readLine(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    boolean closed;
    try {
      closed = in.read() == -1;
    } catch (SocketException reset) {
      closed = true;
    }
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
      new String(body, StandardCharsets.UTF_8), closed);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the connection ended in the middle of the response: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
