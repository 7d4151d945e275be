package dev.promptlab.http;

import dev.promptlab.http.accounts.LoginLimits;
import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.training.CandidateSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The http verticle's configuration slice, with defaults. Every key is documented in the module
 * README; {@link #fromJson} refuses values that cannot work so a bad deploy fails at start.
 */
public record HttpConfig(String host, int port, JsonObject db, int poolSize, String webroot, long maxUploadBytes,
                         String uploadsDir, String adminToken, long requestTimeoutMs, long busTimeoutMs,
                         long optimizerTimeoutMs, long pingTimeoutMs, long redeployTimeoutMs,
                         List<String> readyVerticles, Set<String> adminEmails, boolean trainingEnabled,
                         boolean secureCookies, long sessionTtlHours, int passwordIterations, LoginLimits loginLimits,
                         int passwordCheckThreads, int passwordCheckQueue, long apiTokenMaxDays,
                         long passwordResetTtlMinutes, long shutdownGraceMs, long refusedBodyDrainBytes,
                         long refusedBodyLingerMs, long headerTimeoutMs, long bodyTimeoutMs, long idleTimeoutMs,
                         long retryAfterSeconds, int maxConcurrentUploads, int maxImportRows, Path portFile,
                         CandidateSettings candidates, String clusterNode) {

  /** Where, under the data directory, the port the server listens on is written once it listens. */
  public static final String PORT_FILE = "http.port";

  /** What {@code /ready} pings when neither {@code ready_verticles} nor the launcher's {@code verticles} is given. */
  public static final List<String> DEFAULT_READY_VERTICLES = List.of("generation", "optimizer", "evolution", "metrics");

  public static HttpConfig fromJson(JsonObject json) {
    long busTimeout = positive(json, "bus_timeout_ms", 120_000);
    JsonArray ready = json.getJsonArray("ready_verticles");
    // The launcher hands every verticle the list it deploys: a server is ready when all of them answer, so a
    // verticle added to that list (or a node's view of a cluster's) is checked without a second list to keep.
    JsonArray deployed = json.getJsonArray("verticles");
    List<String> readyVerticles = ready != null ? ready.stream().map(String::valueOf).toList()
      : deployed != null ? deployed.stream().map(String::valueOf).filter(name -> !"http".equals(name)).toList()
      : DEFAULT_READY_VERTICLES;
    int port = json.getInteger("port", 8080);
    // A negative port is Vert.x's shared random port: every instance asking for the same negative number listens
    // on the one port the system picked for the first, so a redeploy can hand it over as with a configured port.
    if (port < -65535 || port > 65535) {
      throw new IllegalArgumentException("http.port must be in [-65535, 65535], got " + port);
    }
    String token = json.getString("admin_token");
    return new HttpConfig(
      json.getString("host", "0.0.0.0"),
      port,
      json.getJsonObject("db", new JsonObject()),
      (int) positive(json, "pool_size", 8),
      json.getString("webroot", "webroot"),
      positive(json, "max_upload_bytes", 20L * 1024 * 1024),
      json.getString("uploads_dir", System.getProperty("java.io.tmpdir") + "/promptlab-uploads"),
      token == null || token.isBlank() ? null : token,
      positive(json, "request_timeout_ms", busTimeout * 2 + 10_000),
      busTimeout,
      positive(json, "optimizer_timeout_ms", 15_000),
      positive(json, "ping_timeout_ms", 2_000),
      positive(json, "redeploy_timeout_ms", 60_000),
      readyVerticles,
      emails(json.getValue("admin_emails")),
      flag(json, "training_enabled", true),
      flag(json, "secure_cookies", true),
      positive(json, "session_ttl_hours", 12),
      (int) positive(json, "password_iterations", PasswordHasher.DEFAULT_ITERATIONS),
      loginLimits(json),
      (int) positive(json, "password_check_threads", 2),
      (int) positive(json, "password_check_queue", 32),
      positive(json, "api_token_max_days", 365),
      positive(json, "password_reset_ttl_minutes", 60),
      positive(json, "shutdown_grace_ms", 60_000),
      positive(json, "refused_body_drain_bytes", 64L * 1024 * 1024),
      positive(json, "refused_body_linger_ms", 30_000),
      positive(json, "header_timeout_ms", 10_000),
      positive(json, "body_timeout_ms", 180_000),
      positive(json, "idle_timeout_ms", 75_000),
      positive(json, "retry_after_seconds", 10),
      (int) positive(json, "max_concurrent_uploads", 8),
      (int) Math.min(positive(json, "max_import_rows", 5_000), Integer.MAX_VALUE),
      json.getString("data_dir") == null ? null : Path.of(json.getString("data_dir")).resolve(PORT_FILE),
      CandidateSettings.fromJson(json),
      clusterNode(json));
  }

  /** This node's name when the launcher runs it in a cluster ({@code cluster.enabled}), else null. */
  private static String clusterNode(JsonObject json) {
    JsonObject cluster = json.getJsonObject("cluster", new JsonObject());
    return cluster.getBoolean("enabled", false) ? cluster.getString("node_name", "") : null;
  }

  /** In a cluster, the login throttle's counts are shared with the other nodes. */
  public boolean clustered() {
    return clusterNode != null;
  }

  private static LoginLimits loginLimits(JsonObject json) {
    try {
      return new LoginLimits(
        (int) positive(json, "login_max_failures", 5),
        Duration.ofSeconds(positive(json, "login_first_delay_seconds", 1)),
        Duration.ofMinutes(positive(json, "login_max_delay_minutes", 15)),
        (int) positive(json, "login_account_max_failures", 100),
        Duration.ofMinutes(positive(json, "login_window_minutes", 15)),
        (int) positive(json, "login_parallel_per_address", 4));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("http.login_*: " + e.getMessage(), e);
    }
  }

  /** A JSON array of emails or one comma-separated string (as TRAINING_ADMIN_EMAILS is written). */
  private static Set<String> emails(Object value) {
    List<Object> items = value == null ? List.of()
      : value instanceof JsonArray array ? array.getList()
      : List.of((Object[]) String.valueOf(value).split(","));
    Set<String> emails = new TreeSet<>();
    for (Object item : items) {
      String email = NewAccount.normaliseEmail(String.valueOf(item));
      if (email != null) {
        emails.add(email);
      }
    }
    return Set.copyOf(emails);
  }

  /** A boolean, or the strings true/false/1/0/yes/no as environment variables spell them. */
  private static boolean flag(JsonObject json, String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("http." + key + " must be true or false, got " + value);
    };
  }

  private static long positive(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() <= 0) {
      throw new IllegalArgumentException("http." + key + " must be a positive number, got " + value);
    }
    return n.longValue();
  }

  /** Never print the admin token, even in a debug dump of the configuration. */
  @Override
  public String toString() {
    return "HttpConfig[host=" + host + ", port=" + port + ", webroot=" + webroot + ", maxUploadBytes=" + maxUploadBytes
      + ", adminToken=" + (adminToken == null ? "unset" : "***") + ", adminEmails=" + adminEmails
      + ", trainingEnabled=" + trainingEnabled + "]";
  }
}
