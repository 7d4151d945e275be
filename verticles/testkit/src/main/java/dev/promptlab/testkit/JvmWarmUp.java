package dev.promptlab.testkit;

import static dev.promptlab.testkit.Await.await;

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
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Pays the one-time JVM costs of a Vert.x process (class loading, Netty's first direct buffer, JSON,
 * an HTTP round trip, the PostgreSQL codec with JSON and timestamp columns) once per test JVM, on a
 * throw-away Vert.x without the tight blocked-thread limit. On a busy two-core machine these costs alone
 * can hold a first event-loop task past {@link TestVertx#MAX_EVENT_LOOP_MS}; paid up front, they can no
 * longer be mistaken for (or hide) a real blocking call in the code under test. {@link BlockedThreadGuard}
 * runs it before each test class; a module with costs of its own (a library testkit does not know, its
 * verticle's first round) adds them with {@link #once(String, Step)}.
 */
public final class JvmWarmUp {

  /** A module's own warm-up, run on the test thread against a throw-away Vert.x. */
  @FunctionalInterface
  public interface Step {
    void run(Vertx vertx) throws Exception;
  }

  private static final Set<String> DONE = new HashSet<>();

  private JvmWarmUp() {
  }

  public static void once() {
    once("testkit", Vertx::vertx, JvmWarmUp::common);
  }

  /** Runs {@code step} once per JVM and {@code name}, after the common warm-up, on a default Vert.x. */
  public static void once(String name, Step step) {
    once(name, Vertx::vertx, step);
  }

  /** As {@link #once(String, Step)}, on a Vert.x the caller builds (e.g. with metrics); closed afterwards. */
  public static synchronized void once(String name, Supplier<Vertx> vertx, Step step) {
    if (DONE.contains(name)) {
      return;
    }
    if (!name.equals("testkit")) {
      once();
    }
    Vertx lenient = vertx.get();
    try {
      step.run(lenient);
      DONE.add(name);
    } catch (Exception e) {
      throw new IllegalStateException(name + " warm-up failed", e);
    } finally {
      await(lenient.close());
    }
  }

  private static void common(Vertx vertx) {
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
    await(pool.query("SELECT '{\"a\": [1]}'::jsonb, now()").execute()
      .map(rows -> rows.iterator().next().getJsonObject(0).encode() + rows.iterator().next().getOffsetDateTime(1)));
    await(pool.close());
  }
}
