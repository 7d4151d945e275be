package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;

import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.accounts.Secrets;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One Vert.x (with Prometheus metrics, as the launcher builds it), the real embedded PostgreSQL, the
 * fake neighbours and one deployed {@link HttpVerticle}, shared by the tests of a class. Every test
 * starts from empty tables.
 */
@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
abstract class HttpTestBase {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  static final String TRAINER_EMAIL = "trainer@example.com";
  static final String ADMIN_EMAIL = "admin@example.com";
  static final String PASSWORD = "correct horse battery";
  /** API tokens of the two accounts every test starts with. */
  static final String TRAINER_TOKEN = "trainer-api-token-for-tests-000000000000";
  static final String ADMIN_ACCOUNT_TOKEN = "admin-api-token-for-tests-0000000000000";
  private static final String PASSWORD_HASH = new PasswordHasher(1_000).hash(PASSWORD);
  static final long MAX_UPLOAD = 2 * 1024 * 1024;
  /** How much of a refused body the server discards before it cuts the connection. */
  static final long REFUSED_BODY_DRAIN = 8 * 1024 * 1024;

  static Vertx vertx;
  static FakeNeighbours fakes;
  /**
   * The port the server under test asks for: a port the system picks, which a second instance asking for the
   * same negative number shares (Vert.x server sharing), as a redeploy shares a configured one.
   */
  static final int SHARED_RANDOM_PORT = -1;

  static WebClient client;
  static int port;
  static Path uploads;
  static String deploymentId;

  @BeforeAll
  static void startServer() throws Exception {
    JsonObject db = TestDatabase.pgOptions();
    vertx = Vertx.builder()
      .with(TestVertx.options().setWarningExceptionTime(150).setWarningExceptionTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS).setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
      .withMetrics(new MicrometerMetricsFactory())
      .build();
    fakes = new FakeNeighbours(vertx, db);
    await(fakes.start());
    uploads = Files.createTempDirectory(Path.of("target"), "uploads");
    HttpVerticle verticle = new HttpVerticle();
    JsonObject config = new JsonObject()
      .put("host", "127.0.0.1").put("port", SHARED_RANDOM_PORT).put("db", db)
      .put("webroot", Path.of("../../webroot").toString())
      .put("uploads_dir", uploads.toString())
      .put("max_upload_bytes", MAX_UPLOAD)
      .put("admin_token", ADMIN_TOKEN)
      .put("bus_timeout_ms", 10_000).put("optimizer_timeout_ms", 3_000).put("ping_timeout_ms", 500)
      .put("admin_emails", ADMIN_EMAIL).put("password_iterations", 1_000).put("secure_cookies", false)
      // Far beyond any test's length: a refused guess stays refused, however slowly the requests arrive.
      .put("login_first_delay_seconds", 3_600).put("login_max_delay_minutes", 120)
      .put("shutdown_grace_ms", 2_000).put("refused_body_drain_bytes", REFUSED_BODY_DRAIN)
      // Far beyond the tests' own safety net: a connection must close on events, never because this ran out.
      .put("refused_body_linger_ms", 600_000);
    deploymentId = await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
    port = verticle.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setFollowRedirects(false));
    warmUp();
  }

  /**
   * Runs every path once before the blocked-thread guard starts watching: the first use of Netty's
   * allocator, the HTTP codecs and the Prometheus exporter loads and initialises classes on the event
   * loop, a one-time cost of the JVM rather than blocking code.
   */
  private static void warmUp() throws IOException {
    TestDatabase.reset();
    fixtures();
    JsonObject experiment = upload(pngWithAlpha(), "warm.png", "image/png", "structure").bodyAsJsonObject();
    rate(new JsonObject().put("experiment_id", experiment.getString("experiment_id")).put("ratings",
      new io.vertx.core.json.JsonArray().add(new JsonObject().put("option", "A").put("rating", 3))));
    for (String uri : new String[] {"/health", "/ready", "/metrics", "/api/train/status", "/api/train/history",
      "/trainer.css", "/api/none", "/login"}) {
      get(uri);
    }
  }

  @AfterAll
  static void stopServer() {
    await(vertx.close());
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
    fixtures();
    fakes.reset();
  }

  /** The baseline prompt version, a trainer and an admin account, each with an API token. */
  private static void fixtures() {
    TestDatabase.execute("INSERT INTO prompt_versions (version, document, is_current, created_at)"
      + " VALUES ('" + FakeNeighbours.PROMPT_VERSION + "', '{}', true, now())");
    for (String[] account : new String[][] {{TRAINER_EMAIL, TRAINER_TOKEN}, {ADMIN_EMAIL, ADMIN_ACCOUNT_TOKEN}}) {
      TestDatabase.execute("INSERT INTO trainers (email, password_hash) VALUES ('" + account[0] + "', '"
        + PASSWORD_HASH + "')");
      TestDatabase.execute("INSERT INTO api_tokens (trainer_id, name, token_hash) SELECT id, 'tests', '"
        + Secrets.digest(account[1]) + "' FROM trainers WHERE email = '" + account[0] + "'");
    }
  }

  /**
   * A client whose connections come from {@code localAddress} (any 127.x.y.z works on Linux loopback), so a
   * test can play several client addresses; closed with the test class's Vert.x.
   */
  static WebClient clientFrom(String localAddress) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setFollowRedirects(false).setLocalAddress(localAddress));
  }

  /** A request carrying the trainer account's API token. */
  static HttpRequest<Buffer> trainer(HttpMethod method, String uri) {
    return as(TRAINER_TOKEN, method, uri);
  }

  static HttpRequest<Buffer> as(String token, HttpMethod method, String uri) {
    return client.request(method, uri).putHeader("authorization", "Bearer " + token);
  }

  static HttpResponse<Buffer> upload(byte[] bytes, String filename, String contentType, String mode) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("image", filename, Buffer.buffer(bytes), contentType);
    if (mode != null) {
      form.attribute("mode", mode);
    }
    return await(trainer(HttpMethod.POST, "/api/enhance/train").sendMultipartForm(form));
  }

  static HttpResponse<Buffer> rate(JsonObject body) {
    return await(trainer(HttpMethod.POST, "/api/train/rate").sendJsonObject(body));
  }

  static HttpResponse<Buffer> get(String uri) {
    return await(trainer(HttpMethod.GET, uri).send());
  }

  /** A render-like PNG with a translucent area, so the alpha channel is really used. */
  static byte[] pngWithAlpha() throws IOException {
    BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(200, 180, 150, 255));
    g.fillRect(0, 0, 96, 64);
    g.setColor(new Color(40, 60, 90, 120));
    g.fillRect(20, 10, 50, 40);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static byte[] jpeg() throws IOException {
    BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(120, 140, 160));
    g.fillRect(0, 0, 80, 60);
    g.setColor(Color.WHITE);
    g.drawLine(0, 0, 79, 59);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  static long rows(String table) {
    return TestDatabase.count("SELECT count(*) FROM " + table);
  }
}
