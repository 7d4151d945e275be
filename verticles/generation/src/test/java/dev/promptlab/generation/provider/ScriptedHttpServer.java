package dev.promptlab.generation.provider;

import dev.promptlab.testkit.ReceivedBody;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server standing in for an external API in tests. Routes answer with a default reply; replies
 * queued with {@link #once} are used first, in order. Every request is recorded (headers, body, multipart
 * attributes and files, arrival time).
 */
public final class ScriptedHttpServer {

  /** One received request. */
  public record Recorded(String method, String path, MultiMap headers, Buffer body, MultiMap form,
                         Map<String, Buffer> files, long atNanos) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** What to answer: a status, headers and a body, optionally after a delay, or nothing at all ({@code silent}, see {@link #hang()}). */
  public record Reply(int status, Map<String, String> headers, Buffer body, long delayMs, boolean silent) {

    public static Reply json(int status, JsonObject body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), body.toBuffer(), 0, false);
    }

    public static Reply json(JsonObject body) {
      return json(200, body);
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of(), Buffer.buffer(), 0, false);
    }

    public static Reply text(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "text/plain"), Buffer.buffer(body), 0, false);
    }

    public static Reply bytes(byte[] body, String contentType) {
      return new Reply(200, Map.of("Content-Type", contentType), Buffer.buffer(body), 0, false);
    }

    public static Reply hang() {
      return new Reply(0, Map.of(), Buffer.buffer(), 0, true);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, copy, body, delayMs, silent);
    }

    public Reply after(long millis) {
      return new Reply(status, headers, body, millis, silent);
    }
  }

  /** A path ending in "/" matches everything below it; any other path matches only itself. */
  private record Route(String method, String path) {
    boolean matches(String requestMethod, String requestPath) {
      return method.equals(requestMethod) && (path.endsWith("/") ? requestPath.startsWith(path) : requestPath.equals(path));
    }
  }

  private final Vertx vertx;
  private final Map<Route, Function<Recorded, Reply>> defaults = new LinkedHashMap<>();
  private final Map<Route, Deque<Reply>> queued = new LinkedHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private ScriptedHttpServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<ScriptedHttpServer> start(Vertx vertx) {
    ScriptedHttpServer fake = new ScriptedHttpServer(vertx);
    return vertx.createHttpServer().requestHandler(fake::handle).listen(0, "127.0.0.1")
      .map(server -> {
        fake.server = server;
        return fake;
      });
  }

  public Future<Void> close() {
    return server.close();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** The default reply of a route; the first matching route (in registration order) wins. */
  public synchronized ScriptedHttpServer on(String method, String pathPrefix, Function<Recorded, Reply> reply) {
    defaults.put(new Route(method, pathPrefix), reply);
    return this;
  }

  /** Replies used before the default, one per request, in order. */
  public synchronized ScriptedHttpServer once(String method, String pathPrefix, Reply... replies) {
    Deque<Reply> queue = queued.computeIfAbsent(new Route(method, pathPrefix), r -> new ArrayDeque<>());
    queue.addAll(List.of(replies));
    return this;
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** Requests matching {@code method path} with the same rule as routes. */
  public List<Recorded> requests(String method, String path) {
    Route route = new Route(method, path);
    List<Recorded> matching = new ArrayList<>();
    for (Recorded r : requests) {
      if (route.matches(r.method(), r.path())) {
        matching.add(r);
      }
    }
    return matching;
  }

  private void handle(HttpServerRequest request) {
    ReceivedBody.read(request, received -> {
      Recorded recorded = new Recorded(request.method().name(), request.path(), MultiMap.caseInsensitiveMultiMap()
        .addAll(request.headers()), received.body(), received.form(), received.files(), System.nanoTime());
      requests.add(recorded);
      Reply reply = replyFor(recorded);
      if (reply.silent()) {
        return;
      }
      if (reply.delayMs() > 0) {
        vertx.setTimer(reply.delayMs(), id -> send(request, reply));
      } else {
        send(request, reply);
      }
    });
  }

  private synchronized Reply replyFor(Recorded recorded) {
    for (Map.Entry<Route, Deque<Reply>> entry : queued.entrySet()) {
      if (entry.getKey().matches(recorded.method(), recorded.path()) && !entry.getValue().isEmpty()) {
        return entry.getValue().poll();
      }
    }
    for (Map.Entry<Route, Function<Recorded, Reply>> entry : defaults.entrySet()) {
      if (entry.getKey().matches(recorded.method(), recorded.path())) {
        return entry.getValue().apply(recorded);
      }
    }
    return Reply.text(404, "no route for " + recorded.method() + " " + recorded.path());
  }

  private static void send(HttpServerRequest request, Reply reply) {
    if (request.response().closed()) {
      return;
    }
    request.response().setStatusCode(reply.status());
    reply.headers().forEach(request.response()::putHeader);
    request.response().end(reply.body());
  }
}
