package dev.promptlab.launcher.browser;

import dev.promptlab.database.DatabaseSettings;
import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.launcher.PromptLab;
import dev.promptlab.launcher.PromptLabVerticle;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole PromptLab server as {@code java -jar} starts it (the real configuration file, overrides
 * through the environment), on the tests' PostgreSQL, with a trainer and an admin account.
 */
final class BrowserServer implements AutoCloseable {

  static final String TRAINER = "entrenadora@example.com";
  static final String ADMIN = "admin@example.com";
  static final String PASSWORD = "una contraseña larga";

  final Vertx vertx;
  final int port;

  private BrowserServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  static BrowserServer start() throws Exception {
    DatabaseSettings db = TestDatabase.settings();
    TestDatabase.reset();
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "browser-");
    Path prompts = root.resolve("prompts");
    copyTree(projectRoot().resolve("prompts"), prompts);
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("PROMPTLAB_DATA_DIR", root.resolve("data").toString());
    env.put("PROMPTLAB__EVOLUTION__PROMPTS_DIR", prompts.toString());
    env.put("PROMPTLAB__HTTP__WEBROOT", projectRoot().resolve("webroot").toString());
    env.put("PROMPTLAB__HTTP__HOST", "127.0.0.1");
    env.put("PROMPTLAB_HTTP_PORT", String.valueOf(port));
    env.put("TRAINING_ADMIN_EMAILS", ADMIN);
    env.put("DATABASE_URL", "postgresql://" + enc(db.user()) + ":" + enc(db.password()) + "@" + db.host() + ":"
      + db.port() + "/" + db.database());
    Vertx vertx = Vertx.builder().with(TestVertx.options().setMetricsOptions(PromptLab.metricsOptions()))
      .withMetrics(new MicrometerMetricsFactory()).build();
    JsonObject config = new JsonObject()
      .put("config_path", projectRoot().resolve("conf/promptlab.yaml").toString())
      .put("environment", new JsonObject(new HashMap<>(env)));
    await(vertx.deployVerticle(new PromptLabVerticle(), new DeploymentOptions().setConfig(config)));
    PasswordHasher hasher = new PasswordHasher(10_000);
    for (String email : new String[] {TRAINER, ADMIN}) {
      NewAccount account = NewAccount.prepare(email, PASSWORD, null, hasher);
      TestDatabase.execute("INSERT INTO trainers (email, password_hash, created_by) VALUES ('" + account.email()
        + "', '" + account.passwordHash() + "', 'browser test')");
    }
    return new BrowserServer(vertx, port);
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("prompts")) ? here : here.getParent();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
