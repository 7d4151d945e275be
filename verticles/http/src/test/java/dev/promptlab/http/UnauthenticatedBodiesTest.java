package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A body is read only for a known caller: without credentials, or with a bearer token that is not valid, the
 * request gets its answer while its body has not even been sent, nothing reaches the upload directory, and
 * the connection is closed after the answer.
 */
class UnauthenticatedBodiesTest extends HttpTestBase {

  private static final String BOUNDARY = "----promptlab-anonymous";
  private static final long DECLARED = MAX_UPLOAD - 1024;

  @Test
  void anUploadWithoutCredentialsIsRefusedBeforeItsBodyIsSent() throws Exception {
    assertRefusedUnread("POST /api/enhance/train", DECLARED,
      "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
  }

  @Test
  void anUploadWithAnInvalidTokenIsRefusedBeforeItsBodyIsSent() throws Exception {
    assertRefusedUnread("POST /api/enhance/train", DECLARED, "Authorization: Bearer not-a-token",
      "Content-Type: multipart/form-data; boundary=" + BOUNDARY);
  }

  @Test
  void aJsonBodyWithoutCredentialsIsRefusedBeforeItIsSent() throws Exception {
    // Within the 64 KiB of a JSON body, so it is the missing caller that refuses it, not the size.
    assertRefusedUnread("POST /api/train/rate", 32 * 1024, "Content-Type: application/json");
  }

  @Test
  void theTrainerPageUploadWithoutASessionIsSentToTheLoginPageUnread() throws Exception {
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("POST /ui/enhance", "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
        "Content-Length: " + DECLARED));
      out.flush();
      RawHttp.Response response = RawHttp.read(socket, true);
      assertEquals(303, response.status(), response.toString());
      assertTrue(response.headers().get("location").startsWith("/login"), response.toString());
      assertTrue(response.closed(), "the connection is closed after the answer");
    }
    assertEquals(0, spooled(), "nothing was written to the upload directory");
  }

  @Test
  void aLoginFormIsStillReadWithoutCredentials() {
    var response = HttpTestBase.client.request(HttpMethod.POST, "/login")
      .putHeader("content-type", "application/x-www-form-urlencoded");
    int status = dev.promptlab.testkit.Await.await(response.sendBuffer(io.vertx.core.buffer.Buffer.buffer(
      "email=nobody%40example.com&password=wrong"))).statusCode();
    assertTrue(status != 401 && status < 500, "the login form reached its route: " + status);
  }

  private void assertRefusedUnread(String requestLine, long declared, String... headers) throws IOException {
    long before = spooled();
    String[] all = new String[headers.length + 1];
    System.arraycopy(headers, 0, all, 0, headers.length);
    all[headers.length] = "Content-Length: " + declared;
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head(requestLine, all));
      out.flush();
      // Not a byte of the body is sent: the answer must come anyway.
      RawHttp.Response response = RawHttp.read(socket, true);
      assertEquals(401, response.status(), response.toString());
      assertEquals("close", response.headers().get("connection"), response.toString());
      assertEquals("no-store", response.headers().get("cache-control"), response.toString());
      assertTrue(response.body().contains("unauthorized"), response.body());
      assertTrue(response.closed(), "the connection is closed after the answer");
    }
    assertEquals(before, spooled(), "nothing was written to the upload directory");
  }

  private static long spooled() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.walk(uploads)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
