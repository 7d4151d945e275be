package dev.promptlab.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * Pays the one-time JVM costs of a Vert.x process (class loading, Netty's first direct buffer, JSON,
 * an HTTP round trip, the PostgreSQL codec) once per test JVM, on a throw-away Vert.x without the tight
 * blocked-thread limit. On a busy two-core machine these costs alone can hold a first event-loop task
 * past {@link TestVertx#MAX_EVENT_LOOP_MS}; paid up front, they can no longer be mistaken for (or hide)
 * a real blocking call in the code under test. {@link BlockedThreadGuard} runs it before each test class.
 */
public final class JvmWarmUp {

  private static volatile boolean done;

  private JvmWarmUp() {
  }

  public static synchronized void once() {
    if (done) {
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      new JsonObject(new JsonObject().put("warm", true).encode()).toBuffer();
      HttpServer server = await(vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> request.response().end(body)))
        .listen(0, "127.0.0.1"));
      // Held in a variable and closed explicitly: Vert.x 5 closes a client that is no longer referenced,
      // which a garbage collection in the middle of the request turns into "Pool closed".
      HttpClient client = vertx.createHttpClient();
      await(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/")
        .compose(request -> request.send(Buffer.buffer("{\"warm\":true}")))
        .compose(HttpClientResponse::body));
      await(client.close());
      Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions(TestDatabase.pgOptions())).using(vertx).build();
      await(pool.query("SELECT 1").execute());
      await(pool.close());
      done = true;
    } catch (Exception e) {
      throw new IllegalStateException("JVM warm-up failed", e);
    } finally {
      vertx.close();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
