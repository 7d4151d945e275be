package dev.promptlab.generation;

import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * One-time JVM costs (class loading, Netty's JFR registration, Jackson's object mapper, the PostgreSQL
 * codec) paid in {@code @BeforeAll} on a throw-away Vert.x instance. On a busy two-core machine they
 * can hold the first event-loop task past the blocked-thread limit once per JVM; the testkit's guard
 * only looks at what happens during a test, so they no longer hide behind a real blocking bug.
 */
public final class JvmWarmUp {

  private JvmWarmUp() {
  }

  /**
   * Vert.x with the testkit's tight blocked-thread check, printing the blocked stack at once so that a
   * guard failure says what blocked.
   */
  public static Vertx vertx() {
    return Vertx.vertx(TestVertx.options().setWarningExceptionTime(150).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  }

  /** JSON, Netty buffers and one HTTP round trip through the web client. */
  public static void run() {
    ByteBufAllocator.DEFAULT.directBuffer(1024).release();
    new JsonObject(new JsonObject().put("warm", true).encode()).toBuffer();
    Vertx vertx = Vertx.vertx();
    try {
      var server = GenerationBus.await(vertx.createHttpServer()
        .requestHandler(request -> request.response().end("{}")).listen(0, "127.0.0.1"));
      WebClient client = WebClient.create(vertx);
      GenerationBus.await(client.requestAbs(HttpMethod.POST, "http://127.0.0.1:" + server.actualPort() + "/")
        .sendJsonObject(new JsonObject().put("warm", true)));
      client.close();
    } catch (Exception e) {
      throw new IllegalStateException("warm-up failed", e);
    } finally {
      vertx.close();
    }
  }

  /** As {@link #run()}, plus one query through the reactive PostgreSQL client. */
  public static void runWithDatabase() {
    run();
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions(TestDatabase.pgOptions())).using(vertx).build();
      GenerationBus.await(pool.query("SELECT 1").execute());
      GenerationBus.await(pool.close());
    } catch (Exception e) {
      throw new IllegalStateException("database warm-up failed", e);
    } finally {
      vertx.close();
    }
  }
}
