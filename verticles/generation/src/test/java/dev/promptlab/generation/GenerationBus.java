package dev.promptlab.generation;

import static dev.promptlab.testkit.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test helpers: bus requests awaited on the test thread (never on an event loop), and file counts. */
public final class GenerationBus {

  private GenerationBus() {
  }

  public static <T> Message<T> request(Vertx vertx, String address, Object body) throws Exception {
    return await(vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(60_000)));
  }

  /** The failure of a request that must fail. */
  public static ReplyException failure(Vertx vertx, String address, Object body) throws Exception {
    Future<Message<Object>> reply = vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(60_000));
    try {
      await(reply);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("expected " + address + " to fail, it answered " + reply.result().body());
  }

  /** Every regular file under {@code dir} (temporary files included: a failed write must leave none). */
  public static long countFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
