package dev.promptlab.generation.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code multipart/form-data} body (RFC 7578) built whole in memory: text fields in the given order, then
 * one file. Sent as a {@link Buffer}, it goes out with a {@code Content-Length}; an S3 presigned POST refuses
 * a chunked body (411 {@code MissingContentLength}), which is how Vert.x's streaming {@code MultipartForm}
 * is sent. S3 also wants the file after every other field, which is why the file comes last.
 *
 * @param contentType the {@code Content-Type} header value, with the boundary
 * @param body        the encoded body
 */
record MultipartBody(String contentType, Buffer body) {

  private static final String CRLF = "\r\n";

  /**
   * Encodes {@code fields} and the file. Names are escaped as browsers do ({@code "}, CR and LF
   * percent-encoded); values are UTF-8.
   */
  static MultipartBody of(Map<String, String> fields, String fileField, String fileName, String fileContentType,
                          Buffer file) {
    // 128 random bits: a boundary that also occurs in the image bytes is not a practical concern.
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    String boundary = "PromptLabBoundary" + HexFormat.of().formatHex(random);
    Buffer body = Buffer.buffer(file.length() + 512 * (fields.size() + 1));
    fields.forEach((name, value) -> body
      .appendString("--" + boundary + CRLF)
      .appendString("Content-Disposition: form-data; name=\"" + escape(name) + "\"" + CRLF + CRLF)
      .appendString(value, StandardCharsets.UTF_8.name())
      .appendString(CRLF));
    body.appendString("--" + boundary + CRLF)
      .appendString("Content-Disposition: form-data; name=\"" + escape(fileField) + "\"; filename=\""
        + escape(fileName) + "\"" + CRLF)
      .appendString("Content-Type: " + fileContentType + CRLF + CRLF)
      .appendBuffer(file)
      .appendString(CRLF + "--" + boundary + "--" + CRLF);
    return new MultipartBody("multipart/form-data; boundary=" + boundary, body);
  }

  private static String escape(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }
}
