package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.SampleImages;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Import historical data" commands, run as they are written (only the jar, java and the server's URL
 * made absolute), as separate processes against the packaged server: a few hundred historical rows are imported,
 * the optimizer studies learn them, a second run adds nothing, a manifest with bad rows is reported row by row, and
 * the command's failures end with their exit codes.
 */
class ImportCommandIT {

  private static final int RENDERS = 30;
  private static final int VARIANTS_PER_RENDER = 10;
  private static final int ROWS = RENDERS * VARIANTS_PER_RENDER;

  @Test
  void theReadmesImportCommandFeedsTheStudiesOnceAndReportsBadRows() throws Exception {
    // No PROMPTLAB_ADMIN_TOKEN: the server generates data/admin-token, which the README's command reads.
    try (PackagedServer server = PackagedServer.createShortLived("import", Map.of("PROMPTLAB_ADMIN_TOKEN", ""))) {
      server.start();
      Path history = Files.createDirectories(server.home.resolve("history"));
      writeHistory(history);
      String command = readmeCommand(server.port);

      long started = System.nanoTime();
      Run first = run(server.home, command);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertEquals(0, first.exitCode(), first.output());
      assertTrue(first.output().contains(ROWS + " rows, " + ROWS + " accepted, 0 already imported, 0 refusals"),
        first.output());
      System.out.printf(Locale.ROOT, "import of %d rows (%d images) by the command: %d ms, %.1f rows/s%n", ROWS,
        2 * ROWS, elapsedMs, ROWS * 1000.0 / elapsedMs);

      String token = Files.readString(server.dataDir.resolve("admin-token")).strip();
      Eventually.until("both studies learnt the imported rows", Duration.ofSeconds(120), () -> {
        JsonObject studies = overview(server.port, token).getJsonObject("studies");
        return studies.getJsonObject("structure").getInteger("samples") == ROWS / 2
          && studies.getJsonObject("surfaces").getInteger("samples") == ROWS / 2;
      });

      Run second = run(server.home, command);
      assertEquals(0, second.exitCode(), second.output());
      assertTrue(second.output().contains(ROWS + " rows, 0 accepted, " + ROWS + " already imported, 0 refusals"),
        second.output());

      Files.writeString(history.resolve("more.csv"), "original_image,enhanced_image,api,strength,guidance_scale,"
        + "control_weight,prompt_version,rating,comments\n"
        + "renders/r0.jpg,enhanced/new.jpg,leonardo,0.3,7.5,0.9,v1.0.0,4,new\n"
        + "renders/r0.jpg,enhanced/new.jpg,leonardo,0.3,7.5,0.9,v1.0.0,9,too many stars\n"
        + "renders/r0.jpg,enhanced/lost.jpg,leonardo,0.3,7.5,0.9,v1.0.0,3,\n");
      Files.write(history.resolve("enhanced/new.jpg"), SampleImages.jpeg(150, 100));
      Run partly = run(server.home, command.replace("history/manifest.csv", "history/more.csv"));
      assertEquals(ImportCommand.ROWS_REFUSED, partly.exitCode(), partly.output());
      assertTrue(partly.output().contains("3 rows, 1 accepted, 0 already imported, 2 refusals"), partly.output());
      assertTrue(partly.output().contains("row 2, rating: invalid_request"), partly.output());
      assertTrue(partly.output().contains("no image file enhanced/lost.jpg"), partly.output());

      Files.writeString(history.resolve("notes.txt"), "minutes of the meeting\nnothing to import\n");
      Run notAManifest = run(server.home, command.replace("history/manifest.csv", "history/notes.txt"));
      assertEquals(ImportCommand.FAILED, notAManifest.exitCode(), notAManifest.output());
      assertTrue(notAManifest.output().contains("not a CSV manifest"), notAManifest.output());

      Run wrongToken = run(server.home, command.replace("$(cat data/admin-token)", "not-the-token"));
      assertEquals(ImportCommand.FAILED, wrongToken.exitCode(), wrongToken.output());
      assertTrue(wrongToken.output().contains("401"), wrongToken.output());

      Run noServer = run(server.home, command.replace("http://127.0.0.1:" + server.port, "http://127.0.0.1:1"));
      assertEquals(ImportCommand.FAILED, noServer.exitCode(), noServer.output());
      assertTrue(noServer.output().contains("no server answers"), noServer.output());
    }
  }

  /** {@value #RENDERS} renders with {@value #VARIANTS_PER_RENDER} rated variants each, half of them per mode. */
  private static void writeHistory(Path history) throws IOException {
    Files.createDirectories(history.resolve("renders"));
    Files.createDirectories(history.resolve("enhanced"));
    Random random = new Random(14);
    StringBuilder manifest = new StringBuilder("original_image,enhanced_image,mode,api,strength,guidance_scale,"
      + "control_weight,prompt_version,rating,comments\n");
    for (int r = 0; r < RENDERS; r++) {
      Files.write(history.resolve("renders/r" + r + ".jpg"), SampleImages.jpeg(96 + r, 72));
      for (int v = 0; v < VARIANTS_PER_RENDER; v++) {
        String variant = "enhanced/r" + r + "-" + v + ".jpg";
        Files.write(history.resolve(variant), SampleImages.jpeg(96 + r, 73 + v));
        manifest.append(String.format(Locale.ROOT, "renders/r%d.jpg,%s,%s,%s,%.3f,%.2f,%.3f,v1.0.0,%d,\"row %d, %d\"%n",
          r, variant, v % 2 == 0 ? "structure" : "surfaces", random.nextBoolean() ? "leonardo" : "stablediffusion",
          0.1 + 0.4 * random.nextDouble(), 5 + 7 * random.nextDouble(), 0.7 + 0.29 * random.nextDouble(),
          1 + random.nextInt(5), r, v));
      }
    }
    Files.writeString(history.resolve("manifest.csv"), manifest);
  }

  /**
   * The README section's command, its continuation lines joined, with the jar, java and the server's URL made
   * absolute: the test fails when the README's command no longer works.
   */
  private static String readmeCommand(int port) throws IOException {
    String readme = Files.readString(PackagedServer.projectRoot().resolve("README.md"));
    int section = readme.indexOf("\n## Import historical data");
    assertTrue(section >= 0, "the README has a section 'Import historical data'");
    String rest = readme.substring(section);
    int block = rest.indexOf("```bash\n");
    String command = rest.substring(block + "```bash\n".length(), rest.indexOf("```", block + 7))
      .replace("\\\n", " ").strip();
    assertTrue(command.contains("java -jar launcher/target/promptlab.jar import"), command);
    assertTrue(command.contains("http://localhost:8080"), command);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return command.replace("java -jar launcher/target/promptlab.jar", java + " -jar " + PackagedServer.jar())
      .replace("http://localhost:8080", "http://127.0.0.1:" + port);
  }

  private record Run(int exitCode, String output) {
  }

  private static Run run(Path directory, String command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c", command)).directory(directory.toFile())
      .redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PROMPTLAB"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(600, TimeUnit.SECONDS), "the command ended");
    return new Run(process.exitValue(), output);
  }

  private static JsonObject overview(int port, String token) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/api/admin/overview")).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
