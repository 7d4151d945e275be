package dev.promptlab.generation;

import static dev.promptlab.testkit.Await.await;

import dev.promptlab.testkit.JvmWarmUp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The providers' first web-client request loads the library's classes, a one-time JVM cost the testkit's
 * warm-up does not know; one round trip on a lenient Vert.x pays it before the guarded tests run. Register
 * after the guard: {@code @ExtendWith({VertxExtension.class, BlockedThreadGuard.class, WebClientWarmUp.class})}.
 */
public final class WebClientWarmUp implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    once();
  }

  public static void once() {
    JvmWarmUp.once("web-client", vertx -> {
      var server = await(vertx.createHttpServer()
        .requestHandler(request -> request.response().end("{}")).listen(0, "127.0.0.1"));
      WebClient client = WebClient.create(vertx);
      await(client.requestAbs(HttpMethod.POST, "http://127.0.0.1:" + server.actualPort() + "/")
        .sendJsonObject(new JsonObject().put("warm", true)));
      client.close();
    });
  }
}
