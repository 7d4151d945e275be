package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.SampleImages;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while uploads are being generated, against the packaged jar. Both APIs are rendered by a fake
 * Replicate that holds its answers until the test releases them, so the uploads are in flight for as long as the
 * test wants: the signal comes while all of them wait for their variants.
 *
 * <p>Then: the server says it drains; a new request (on a new connection: the listener stays open while
 * draining) gets 503 with {@code Retry-After}; once released, every upload gets its 200; the verticles stop in
 * order (http, then the ones it needed, then the database); the process exits 0; the upload spool is empty.
 */
class GracefulStopIT {

  private static final int UPLOADS = 10;
  private static final String LEONARDO_KEY = "leo-stop-key-4c1d9a7b2e";
  private static final String REPLICATE_TOKEN = "r8_stop_token_7e2b5c9d1a";

  @Test
  void inFlightUploadsFinishNewRequestsGet503AndTheProcessExitsCleanly() throws Exception {
    try (FakeImageApis fake = FakeImageApis.open(LEONARDO_KEY, REPLICATE_TOKEN)) {
      Map<String, String> environment = new HashMap<>(fake.serverEnvironment());
      // Patient enough to wait for the held answers; both APIs on the fake Replicate.
      JsonObject patient = new JsonObject().put("base_url", fake.replicateBaseUrl())
        .put("model", FakeImageApis.REPLICATE_MODEL).put("wait_seconds", 1).put("request_timeout_ms", 300_000)
        .put("total_timeout_ms", 300_000).put("poll_interval_ms", 50);
      environment.put("PROMPTLAB__GENERATION__REPLICATE", patient.encode());
      environment.put("PROMPTLAB__GENERATION__PROVIDERS__LEONARDO", "replicate");
      environment.put("PROMPTLAB__GENERATION__PROVIDERS__STABLEDIFFUSION", "replicate");
      environment.put("PROMPTLAB__HTTP__SHUTDOWN_GRACE_MS", "120000");
      environment.put("PROMPTLAB__HTTP__RETRY_AFTER_SECONDS", "7");
      environment.put("PROMPTLAB__HTTP__MAX_CONCURRENT_UPLOADS", String.valueOf(UPLOADS));
      Path spool = Files.createTempDirectory(PackagedServer.projectRoot().resolve("launcher/target"), "spool-");
      environment.put("PROMPTLAB__HTTP__UPLOADS_DIR", "\"" + spool + "\"");

      try (PackagedServer server = PackagedServer.createShortLived("graceful-stop", environment)) {
        server.start();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)));
        fake.hold(Step.REPLICATE_PREDICTIONS);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
          uploads.add(client.sendAsync(upload(server.port, SampleImages.jpeg(320 + i, 240)),
            HttpResponse.BodyHandlers.ofString()));
        }
        // The generation verticle's client keeps at most 5 connections to one service: 5 calls are held there,
        // the others queue behind them. Every upload is in flight once its spooled body is there (the files
        // stay until the answer).
        assertTrue(fake.held.tryAcquire(5, 120, TimeUnit.SECONDS), () -> "the uploads reached the provider;"
          + " answered early: " + uploads.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
          .map(r -> r.statusCode() + " " + r.body()).toList());
        List<Path> spooled = eventuallySpooled(spool, UPLOADS);
        spooled.forEach(GracefulStopIT::assertPrivate);

        CompletableFuture<String> draining = server.line("Draining:");
        CompletableFuture<String> exitLine = server.line("exit status");
        server.signalTerm();
        draining.get(60, TimeUnit.SECONDS);

        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port + "/api/train/status"))
          .header("Authorization", "Bearer " + PackagedServer.ADMIN_TOKEN).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("7", refused.headers().firstValue("Retry-After").orElse(null));
        assertTrue(refused.body().contains("shutting_down"), refused.body());

        fake.release();
        for (CompletableFuture<HttpResponse<String>> upload : uploads) {
          HttpResponse<String> response = upload.get(120, TimeUnit.SECONDS);
          assertEquals(200, response.statusCode(), response.body());
          assertNotNull(new JsonObject(response.body()).getString("experiment_id"));
        }
        assertEquals(0, server.awaitExit(), "exit status after SIGTERM");
        assertTrue(exitLine.isDone(), "the stop reported its exit status");

        List<String> log = Files.readAllLines(server.home.resolve("server.log"));
        int http = indexOf(log, "Stopped http");
        int generation = indexOf(log, "Stopped generation");
        int database = indexOf(log, "Database closed");
        assertTrue(http >= 0 && http < generation && generation < database,
          "http stops first, generation after it, the database last: " + http + ", " + generation + ", " + database);
      }
      try (Stream<Path> left = Files.list(spool)) {
        assertEquals(List.of(), left.toList(), "the upload spool directory is empty");
      }
    }
  }

  /** Waits until {@code count} upload files are spooled under {@code spool}. */
  private static List<Path> eventuallySpooled(Path spool, int count) {
    List<Path> files = Eventually.value(count + " uploads spooled while in flight", Duration.ofSeconds(120), () -> {
      try (Stream<Path> walk = Files.walk(spool)) {
        return walk.filter(Files::isRegularFile).toList();
      }
    }, spooled -> spooled.size() >= count);
    assertEquals(count, files.size(), "uploads spooled while in flight");
    return files;
  }

  private static void assertPrivate(Path file) {
    try {
      String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()));
      assertEquals("rwx------", permissions, "the directory of " + file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  private static HttpRequest upload(int port, byte[] jpeg) {
    String boundary = "----promptlab-stop";
    var body = new java.io.ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"room.jpg\"\r\n"
      + "Content-Type: image/jpeg\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    body.writeBytes(jpeg);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/enhance/train"))
      .header("Authorization", "Bearer " + PackagedServer.ADMIN_TOKEN)
      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
      .timeout(Duration.ofSeconds(300))
      .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
  }
}
