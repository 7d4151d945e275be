package dev.promptlab.testkit;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a fake HTTP server received in a request: the raw body, or for a multipart form its fields and
 * uploaded files (the body is then empty).
 */
public record ReceivedBody(Buffer body, MultiMap form, Map<String, Buffer> files) {

  /** Collects the whole request and hands it to {@code received} once the request has ended. */
  public static void read(HttpServerRequest request, Handler<ReceivedBody> received) {
    String contentType = request.getHeader("Content-Type");
    boolean multipart = contentType != null && contentType.startsWith("multipart/form-data");
    Map<String, Buffer> files = new ConcurrentHashMap<>();
    Buffer body = Buffer.buffer();
    if (multipart) {
      request.setExpectMultipart(true);
      request.uploadHandler(upload -> {
        Buffer content = Buffer.buffer();
        upload.handler(content::appendBuffer);
        upload.endHandler(v -> files.put(upload.name(), content));
      });
    } else {
      request.handler(body::appendBuffer);
    }
    request.endHandler(v -> received.handle(new ReceivedBody(body,
      multipart ? MultiMap.caseInsensitiveMultiMap().addAll(request.formAttributes()) : MultiMap.caseInsensitiveMultiMap(),
      Map.copyOf(files))));
  }
}
