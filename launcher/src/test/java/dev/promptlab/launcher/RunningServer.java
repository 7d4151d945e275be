package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.http.HttpConfig;
import dev.promptlab.database.DatabaseSettings;
import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole PromptLab server started the way {@code java -jar} starts it (the real configuration file,
 * overrides through the environment map), on a free port, with its own data directory. The prompt store is the
 * default one, {@code <data_dir>/prompts}, seeded from the packaged seed on the first start: nothing reads or
 * writes the checkout's {@code prompts/} or {@code data/} folders.
 */
public final class RunningServer implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  final Vertx vertx;
  final Vertx clientVertx;
  WebClient client;
  /** The port the server listens on, as it reported it; a restart may change it. */
  public int port;
  final Path root;
  final Path dataDir;
  final Path promptsDir;
  private final String databaseUrl;
  private final Map<String, String> extraEnvironment;
  /** The environment of the next start: a test may change it before {@link #restart()}. */
  final Map<String, String> environment;
  private String deploymentId;

  private RunningServer(Path root, String databaseUrl, Map<String, String> extraEnvironment,
                        Map<String, String> environment) {
    this.vertx = Vertx.builder().with(TestVertx.options().setMetricsOptions(PromptLab.metricsOptions()))
      .withMetrics(new MicrometerMetricsFactory()).build();
    // The client is the outside world: its own Vert.x, so only the server's event loops are held to the tight limit.
    this.clientVertx = Vertx.vertx();
    this.root = root;
    this.dataDir = root.resolve("data");
    this.promptsDir = dataDir.resolve("prompts");
    this.databaseUrl = databaseUrl;
    this.extraEnvironment = Map.copyOf(extraEnvironment);
    this.environment = environment;
  }

  /**
   * A server on fresh directories. {@code databaseUrl} null means the embedded PostgreSQL under the data
   * directory, as a new user gets it.
   */
  public static RunningServer start(String databaseUrl, Map<String, String> extraEnvironment) throws Exception {
    return startOn(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "server-"), databaseUrl,
      extraEnvironment);
  }

  private static RunningServer startOn(Path root, String databaseUrl, Map<String, String> extraEnvironment)
    throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PROMPTLAB_DATA_DIR", root.resolve("data").toString());
    env.put("PROMPTLAB__HTTP__WEBROOT", projectRoot().resolve("webroot").toString());
    env.put("PROMPTLAB__HTTP__HOST", "127.0.0.1");
    env.put("PROMPTLAB_ADMIN_TOKEN", ADMIN_TOKEN);
    if (databaseUrl != null) {
      env.put("DATABASE_URL", databaseUrl);
    }
    env.putAll(extraEnvironment);
    // A port the system picks, shared by the http instances the launcher's redeploy starts before retiring the old.
    env.put("PROMPTLAB_HTTP_PORT", "-1");
    RunningServer server = new RunningServer(root, databaseUrl, extraEnvironment, env);
    try {
      server.deploy();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Closes this server and starts a new one, with a new Vert.x and a new port, on the same data directory and
   * database: what recreating a container on the same volume, or starting a fresh copy of the jar, does.
   */
  RunningServer recreate() throws Exception {
    close();
    return startOn(root, databaseUrl, extraEnvironment);
  }

  /** A server on fresh directories and the tests' shared PostgreSQL (see {@link TestDatabase}). */
  public static RunningServer startOnTestDatabase(Map<String, String> extraEnvironment) throws Exception {
    DatabaseSettings db = TestDatabase.settings();
    return start(db.url(),
      extraEnvironment);
  }

  /** A request authenticated as an API script with the admin bearer token. */
  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, path).bearerTokenAuthentication(ADMIN_TOKEN);
  }

  HttpRequest<Buffer> get(String path) {
    return request(HttpMethod.GET, path);
  }

  HttpRequest<Buffer> post(String path) {
    return request(HttpMethod.POST, path);
  }

  /** A JSON request with the admin token; a null body sends none. */
  HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body) {
    return body == null ? await(request(method, path).send()) : await(request(method, path).sendJsonObject(body));
  }

  /** The JSON answer to a GET with the admin token, which must be 200. */
  JsonObject json(String path) {
    HttpResponse<Buffer> response = await(get(path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** The JSON body of an answer that must be 200 or 201. */
  static JsonObject ok(HttpResponse<Buffer> response) {
    assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.statusCode() + " "
      + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** Stops the application (not Vert.x) and starts it again on the same directories (on a new port). */
  void restart() throws Exception {
    await(vertx.undeploy(deploymentId));
    deploy();
  }

  private void deploy() throws Exception {
    JsonObject config = new JsonObject()
      .put("config_path", projectRoot().resolve("conf/promptlab.yaml").toString())
      .put("environment", new JsonObject(new HashMap<>(environment)));
    deploymentId = await(vertx.deployVerticle(new PromptLabVerticle(), new DeploymentOptions().setConfig(config)));
    // Written by the http verticle once it listens, before the launcher's deploy completes.
    port = Integer.parseInt(Files.readString(dataDir.resolve(HttpConfig.PORT_FILE)).strip());
    if (client != null) {
      client.close();
    }
    // No keep-alive: a retiring http instance closes its idle connections, and a request racing that close
    // (which browsers retry on a new connection) would make the redeploy tests flaky.
    client = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** The checkout, for its configuration file and webroot (read only). */
  static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isRegularFile(here.resolve("conf/promptlab.yaml")) ? here : here.getParent();
  }

  /** As {@link Await#await(Future, long)}, with room for a whole server to start on a loaded machine. */
  static <T> T await(Future<T> future) {
    return Await.await(future, 120);
  }

  @Override
  public void close() {
    client.close();
    await(clientVertx.close());
    await(vertx.close());
  }
}
