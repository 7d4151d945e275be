package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.promptlab.http.HttpConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The packaged server as a user runs it: {@code java -jar launcher/target/promptlab.jar} in the project's
 * root folder, configured through the environment only, as a separate process. Its data directory is a
 * fresh folder under {@code target/acceptance}; its output goes to {@code <home>/server.log}.
 *
 * <p>Readiness is an event: the line the launcher logs once every verticle is deployed. Closing checks
 * that the run left the working tree's {@code prompts/} and {@code data/} as they were.
 */
final class PackagedServer implements AutoCloseable {

  static final String ADMIN_TOKEN = "acceptance-admin-token-5d1c9e7a3b";
  private static final String UP = "PromptLab is up";
  private static final String FAILED = "PromptLab failed to start";
  private static final List<String> SHORT_LIVED_JVM = List.of("-XX:TieredStopAtLevel=1");

  final Path home;
  final Path dataDir;
  /** The port the server reported at its last start (it listens on one the system picks). */
  volatile int port;
  private final Map<String, String> environment;
  private final Map<String, String> workingTreeBefore;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Path workingDirectory = projectRoot();
  private Path jar = jar();
  private List<String> jvmOptions = List.of();
  private boolean blockedThreadsCounted;
  private Process process;
  private Thread reader;
  private PrintWriter log;
  /** Lines the test waits for: each pattern completes its future with the first line containing it. */
  private final Map<String, CompletableFuture<String>> awaitedLines = new java.util.concurrent.ConcurrentHashMap<>();

  private PackagedServer(Path home, Map<String, String> environment) {
    this.home = home;
    this.dataDir = home.resolve("data");
    this.environment = environment;
    this.workingTreeBefore = workingTreeState();
  }

  /** A server on a fresh data directory; {@code extra} adds or overrides environment variables. */
  static PackagedServer create(String name, Map<String, String> extra) throws IOException {
    Path root = Files.createDirectories(projectRoot().resolve("launcher/target/acceptance"));
    Path home = Files.createTempDirectory(root, name + "-");
    Map<String, String> environment = new HashMap<>();
    environment.put("PROMPTLAB_DATA_DIR", home.resolve("data").toString());
    environment.put("PROMPTLAB_HTTP_PORT", "0");
    environment.put("PROMPTLAB_ADMIN_TOKEN", ADMIN_TOKEN);
    environment.put("PROMPTLAB__HTTP__HOST", "127.0.0.1");
    environment.putAll(extra);
    return new PackagedServer(home, environment);
  }

  /**
   * As {@link #create}, on a JVM that compiles with C1 alone: a test's server lives seconds to a minute, where C2's
   * compilations cost more CPU than they return on two shared cores (a start took 8.2-8.9 s of CPU so, 11.1-12.3 s
   * with C2). The server's code and configuration are the production ones. A benchmark, and a test whose server
   * computes for most of its run (the reward model's: features of a hundred images), keep the default JIT.
   */
  static PackagedServer createShortLived(String name, Map<String, String> extra) throws IOException {
    PackagedServer server = create(name, extra);
    server.jvmOptions = SHORT_LIVED_JVM;
    return server;
  }

  static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("launcher")) ? here : here.getParent();
  }

  static Path jar() {
    Path jar = projectRoot().resolve("launcher/target/promptlab.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": the acceptance tests run after 'mvn package' (mvn verify)");
    }
    return jar;
  }

  /**
   * The caller reads the log's blocked-thread warnings itself (a benchmark counts and prints them): closing then
   * does not fail on them. Tests never call this.
   */
  PackagedServer countingBlockedThreads() {
    this.blockedThreadsCounted = true;
    return this;
  }

  /** Runs {@code java [options] -jar <folder>/<jarName>} in {@code folder} instead of the project's root (an image's layout). */
  PackagedServer runFrom(Path folder, String jarName, List<String> options) {
    this.workingDirectory = folder;
    this.jar = folder.resolve(jarName);
    this.jvmOptions = List.copyOf(options);
    return this;
  }

  /**
   * Starts the process and waits for it to be up; returns the milliseconds from the start of {@code java}
   * to the launcher's "up" line.
   */
  long start() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
    // Only what a user would set: nothing of the test JVM's own PromptLab or provider variables leaks in.
    builder.environment().keySet().removeIf(k -> k.startsWith("PROMPTLAB") || k.endsWith("_API_KEY")
      || k.endsWith("_API_TOKEN") || k.endsWith("_API_AUTH") || k.equals("DATABASE_URL") || k.startsWith("AWS_"));
    builder.environment().putAll(environment);
    // The server writes the port it listens on before it says it is up: the previous start's must not be read.
    Files.deleteIfExists(dataDir.resolve(HttpConfig.PORT_FILE));
    long started = System.nanoTime();
    process = builder.start();
    log = new PrintWriter(Files.newBufferedWriter(home.resolve("server.log"),
      java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true);
    log.println("----- " + String.join(" ", command) + " in " + workingDirectory + " (" + Instant.now() + ")");
    CompletableFuture<Long> up = new CompletableFuture<>();
    Process running = process;
    PrintWriter output = log;
    reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.println(line);
          for (Map.Entry<String, CompletableFuture<String>> awaited : awaitedLines.entrySet()) {
            if (line.contains(awaited.getKey())) {
              awaited.getValue().complete(line);
            }
          }
          if (line.contains(UP)) {
            up.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          } else if (line.contains(FAILED)) {
            up.completeExceptionally(new IllegalStateException("the server did not start: " + line));
          }
        }
      } catch (IOException ignored) {
        // the process was killed
      }
      up.completeExceptionally(new IllegalStateException("the server exited before it was up; see " + home.resolve("server.log")));
    }, "packaged-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      long upAfter = up.get(180, TimeUnit.SECONDS);
      port = Integer.parseInt(Files.readString(dataDir.resolve(HttpConfig.PORT_FILE)).strip());
      return upAfter;
    } catch (Exception e) {
      kill();
      throw e;
    }
  }

  /** SIGTERM, as an operator or a container runtime stops it; waits for the process to end. */
  int stop() throws InterruptedException {
    if (process == null) {
      return 0;
    }
    // Through the handle: Process.destroy() would also close our end of its output, losing its last lines.
    process.toHandle().destroy();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.toHandle().destroyForcibly();
      process.waitFor();
    }
    int code = process.exitValue();
    process = null;
    reader.join(); // its last lines are in the log
    return code;
  }

  /** The first line of output containing {@code text} from now on (call before causing it). */
  CompletableFuture<String> line(String text) {
    return awaitedLines.computeIfAbsent(text, t -> new CompletableFuture<>());
  }

  /** SIGTERM without waiting: the test watches the stop happen. */
  void signalTerm() {
    // Through the handle: Process.destroy() would also close our end of its output, losing what it says next.
    process.toHandle().destroy();
  }

  /** Waits for the process to end by itself; returns its exit status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the server did not exit within 180 s of being asked to stop");
    }
    int code = process.exitValue();
    process = null;
    reader.join(); // its last lines are in the log
    return code;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL of the JVM alone (the OOM killer's way): the embedded database lives on. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
      process = null;
    }
  }

  /** SIGKILL of the JVM and of every process of the embedded database, at once. */
  void killWithDatabase() throws Exception {
    List<ProcessHandle> victims = new ArrayList<>();
    Path pidFile = dataDir.resolve("postgres/postmaster.pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      ProcessHandle.of(pid).ifPresent(postmaster -> {
        victims.add(postmaster);
        victims.addAll(postmaster.descendants().toList());
      });
    }
    if (process != null) {
      victims.add(process.toHandle());
    }
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle victim : victims) {
      victim.onExit().get(60, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** Everything the server printed so far (all its runs). */
  String output() throws IOException {
    if (log != null) {
      log.flush();
    }
    return Files.readString(home.resolve("server.log"));
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /** A multipart form with one file field and text fields, as a browser or curl -F sends it. */
  HttpResponse<String> postMultipart(String path, String fileField, String fileName, String fileType, byte[] file,
                                     Map<String, String> fields) throws IOException, InterruptedException {
    String boundary = "----promptlab" + UUID.randomUUID();
    var body = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
        + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
      + fileName + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
      .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
  }

  /** A trainer's upload of a JPEG render for {@code mode}; asserts the 200 and returns the experiment. */
  JsonObject upload(byte[] jpeg, String mode) throws IOException, InterruptedException {
    HttpResponse<String> response = postMultipart("/api/enhance/train", "image", "room.jpg", "image/jpeg", jpeg,
      Map.of("mode", mode));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The rating submission of {@code experiment}'s options, each with the rating {@code ratingOf} its option letter. */
  static JsonObject ratings(JsonObject experiment, ToIntFunction<String> ratingOf, String comment) {
    JsonArray ratings = new JsonArray();
    for (Object o : experiment.getJsonArray("options")) {
      JsonObject option = (JsonObject) o;
      ratings.add(new JsonObject().put("option", option.getString("option")).put("image_id", option.getLong("image_id"))
        .put("rating", ratingOf.applyAsInt(option.getString("option"))).put("comments", comment));
    }
    return new JsonObject().put("experiment_id", experiment.getString("experiment_id")).put("ratings", ratings);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(120))
      .header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      if (log != null) {
        log.close();
      }
    }
    assertEquals(workingTreeBefore, workingTreeState(), "the packaged server left the working tree's prompts/ and data/ alone");
    // The packaged server runs with Vert.x's own limits: a warning there is a real event loop held too long.
    String output = Files.readString(home.resolve("server.log"));
    assertFalse(!blockedThreadsCounted && output.contains("has been blocked"), "the packaged server blocked an event loop; see "
      + home.resolve("server.log"));
  }

  /** Paths, sizes and modification times under the working tree's prompts/, and whether data/ exists. */
  private static Map<String, String> workingTreeState() {
    Map<String, String> state = new TreeMap<>();
    // data/ may belong to a server a developer runs meanwhile: only its existence is compared.
    state.put("data", Files.exists(projectRoot().resolve("data")) ? "present" : "absent");
    Path root = projectRoot().resolve("prompts");
    if (Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.forEach(p -> {
          try {
            state.put(projectRoot().relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return state;
  }
}
