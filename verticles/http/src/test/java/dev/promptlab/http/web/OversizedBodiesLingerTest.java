package dev.promptlab.http.web;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bound on waiting for a refused body: a client that declares too much and then sends nothing is
 * disconnected once the linger time has passed, on the guard alone (a router with nothing else).
 */
@ExtendWith(BlockedThreadGuard.class)
class OversizedBodiesLingerTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    vertx = TestVertx.create();
    OversizedBodies guard = new OversizedBodies(vertx, Set.of("/upload"), 1000, 10, 1 << 20, 200);
    Router router = Router.router(vertx);
    router.route().handler(guard::guard);
    router.route().handler(ctx -> ctx.response().end("accepted"));
    router.route().failureHandler(FailureResponder::respond);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void aClientThatStopsSendingIsDisconnectedAfterTheLinger() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
      assertTrue(answer.toLowerCase().contains("connection: close"), answer);
      assertTrue(answer.contains("at most 1000 are accepted"), answer);
    }
  }

  @Test
  void bodiesWithinTheLimitAndOtherPathsPassThrough() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("POST /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n"
        + "\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertEquals("accepted", answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n01234567890")
        .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 413 "), "the other limit applies off the upload path: " + answer);
    }
  }
}
