package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.LoggedWarnings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A body that breaks HTTP's framing (a chunk size that is not hexadecimal) is a client's mistake: it gets a 400
 * in the API's JSON shape, the connection is closed (the rest of the stream cannot be trusted), nothing stays in
 * the upload directory, and the log has no error or stack trace for it.
 */
class MalformedBodiesTest extends HttpTestBase {

  @RegisterExtension
  final LoggedWarnings errors = LoggedWarnings.under(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @Test
  void aJsonBodyWithABrokenChunkGetsA400() throws Exception {
    RawHttp.Response response = sendBrokenChunk("POST /api/train/rate", "Content-Type: application/json",
      "{\"experiment_id\":");
    assertRefused(response);
  }

  @Test
  void anUploadWithABrokenChunkGetsA400AndLeavesNothingBehind() throws Exception {
    String boundary = "----promptlab-broken";
    RawHttp.Response response = sendBrokenChunk("POST /api/enhance/train",
      "Content-Type: multipart/form-data; boundary=" + boundary,
      "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n\u0089PNG");
    assertRefused(response);
    // The partial file is removed once the upload's stream has been told of the failure, after the answer.
    Eventually.until("the partial upload is removed", () -> spooled() == 0);
  }

  private static long spooled() {
    try (Stream<java.nio.file.Path> files = Files.walk(uploads)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RawHttp.Response sendBrokenChunk(String requestLine, String contentType, String firstChunk)
    throws IOException {
    try (Socket socket = RawHttp.connect(port)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head(requestLine, "Authorization: Bearer " + TRAINER_TOKEN, contentType,
        "Transfer-Encoding: chunked"));
      byte[] chunk = firstChunk.getBytes(StandardCharsets.ISO_8859_1);
      out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(chunk);
      out.write("\r\nzz-not-a-size\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return RawHttp.read(socket, true);
    }
  }

  private void assertRefused(RawHttp.Response response) {
    assertEquals(400, response.status(), response.toString());
    assertTrue(response.body().contains("\"invalid_request\""), response.body());
    assertTrue(response.closed(), "the connection is closed after the answer");
    assertEquals(java.util.List.of(), errors.seen(), "nothing was logged as a warning or an error");
  }
}
