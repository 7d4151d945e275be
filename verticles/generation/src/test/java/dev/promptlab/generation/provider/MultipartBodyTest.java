package dev.promptlab.generation.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encoding itself; that a real multipart parser reads it back is shown by {@code LeonardoProviderTest}. */
class MultipartBodyTest {

  private static final byte[] FILE = {(byte) 0xFF, (byte) 0xD8, 0x00, '\r', '\n', (byte) 0xFF, (byte) 0xD9};

  @Test
  void fieldsInOrderThenTheFileBetweenBoundaries() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("key", "users/u1/initImages/init-1.jpg");
    fields.put("Policy", "cG9saWN5");
    MultipartBody form = MultipartBody.of(fields, "file", "init.jpg", "image/jpeg", Buffer.buffer(FILE));

    assertTrue(form.contentType().startsWith("multipart/form-data; boundary="), form.contentType());
    String boundary = form.contentType().substring("multipart/form-data; boundary=".length());
    String expectedHead = "--" + boundary + "\r\n"
      + "Content-Disposition: form-data; name=\"key\"\r\n\r\nusers/u1/initImages/init-1.jpg\r\n"
      + "--" + boundary + "\r\n"
      + "Content-Disposition: form-data; name=\"Policy\"\r\n\r\ncG9saWN5\r\n"
      + "--" + boundary + "\r\n"
      + "Content-Disposition: form-data; name=\"file\"; filename=\"init.jpg\"\r\n"
      + "Content-Type: image/jpeg\r\n\r\n";
    String expectedTail = "\r\n--" + boundary + "--\r\n";
    Buffer expected = Buffer.buffer(expectedHead).appendBytes(FILE).appendString(expectedTail);
    assertEquals(expected, form.body(), "the file comes last, as S3 requires, and its bytes are untouched");
  }

  @Test
  void namesCannotBreakOutOfTheirHeaderAndValuesAreUtf8() {
    MultipartBody form = MultipartBody.of(Map.of("x\"\r\nContent-Type: text/html", "café"), "file",
      "a\"b.jpg", "image/jpeg", Buffer.buffer(FILE));
    String text = form.body().toString(StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("name=\"x%22%0D%0AContent-Type: text/html\"\r\n"), text);
    assertTrue(text.contains("filename=\"a%22b.jpg\""), text);
    assertTrue(form.body().toString(StandardCharsets.UTF_8).contains("\r\n\r\ncafé\r\n"));
  }

  @Test
  void everyBodyHasItsOwnBoundary() {
    MultipartBody one = MultipartBody.of(Map.of(), "file", "a.png", "image/png", Buffer.buffer(FILE));
    MultipartBody two = MultipartBody.of(Map.of(), "file", "a.png", "image/png", Buffer.buffer(FILE));
    assertNotEquals(one.contentType(), two.contentType());
  }
}
