package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** Every {@code /api} answer, success or error, tells caches not to keep it. */
class NoStoreTest extends HttpTestBase {

  @Test
  void aSuccessfulApiAnswerIsNotStored() {
    HttpResponse<Buffer> response = get("/api/train/status");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("no-store", response.getHeader("cache-control"));
  }

  @Test
  void anApiErrorIsNotStored() {
    HttpResponse<Buffer> missing = get("/api/none");
    assertEquals(404, missing.statusCode());
    assertEquals("no-store", missing.getHeader("cache-control"));
    HttpResponse<Buffer> anonymous = await(client.get("/api/train/history").send());
    assertEquals(401, anonymous.statusCode());
    assertEquals("no-store", anonymous.getHeader("cache-control"));
  }

  @Test
  void pagesAssetsAndProbesAreLeftToTheirOwnRules() {
    HttpResponse<Buffer> health = await(client.get("/health").send());
    assertEquals(200, health.statusCode());
    assertEquals(null, health.getHeader("cache-control"));
  }
}
