package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.SampleImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The container's layout without a container engine: the runtime stage of the project's {@code Dockerfile} is
 * read (its {@code COPY} lines, {@code WORKDIR}, {@code ENV}), the image's folder is laid out from the checkout the
 * way those lines say, and the jar runs in it with the data directory on a separate "volume" folder. Then the
 * container is recreated: the image folder is thrown away and laid out again, and the server on the same volume
 * must show exactly the same current prompt version, history and images. Anything the server keeps outside the
 * data directory fails here.
 */
class DockerLayoutIT {

  private static final Pattern COPY = Pattern.compile("^COPY\\s+(?:--from=(\\S+)\\s+)?(\\S+)\\s+(\\S+)\\s*$");
  private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");

  /** What the runtime stage puts where, and the environment it sets. */
  private record Layout(String workdir, Map<String, String> copies, Map<String, String> environment) {
  }

  @Test
  void aRecreatedContainerOnTheSameVolumeShowsTheSameStateAndImages() throws Exception {
    Layout layout = readDockerfile(PackagedServer.projectRoot().resolve("Dockerfile"));
    String volume = layout.environment().get("PROMPTLAB_DATA_DIR");
    assertEquals("/data", volume, "the image keeps its data on the /data volume");
    assertTrue(layout.copies().containsValue("/app/promptlab.jar"), layout.copies().toString());

    try (PackagedServer server = PackagedServer.create("docker", Map.of())) {
      Path image = layOut(layout, server.home.resolve("image-1"));
      server.runFrom(image.resolve(relativeToRoot(layout.workdir())), "promptlab.jar", javaOptions(layout)).start();

      JsonObject experiment = server.upload(SampleImages.jpeg(320, 240), "structure");
      HttpResponse<String> evolved = server.postJson("/api/train/evolve", "{}");
      assertEquals(200, evolved.statusCode(), evolved.body());
      String candidate = new JsonObject(evolved.body()).getString("candidate_version");
      HttpResponse<String> promoted = server.postJson("/api/admin/prompts/" + candidate + "/promote", "{}");
      assertEquals(200, promoted.statusCode(), promoted.body());
      String current = currentVersion(server);
      assertEquals(candidate, current);
      JsonArray history = versions(server);
      String document = server.get("/api/admin/prompts/" + candidate).body();
      byte[] original = server.getBytes(experiment.getString("original_url")).body();
      JsonObject dataset = uploadDataset(server);
      int code = server.stop();
      assertTrue(code == 0 || code == 128 + 15, "SIGTERM ends the JVM normally (143 is its code after SIGTERM): " + code);
      assertTrue(server.output().contains("Embedded PostgreSQL stopped"), "the database was shut down, not abandoned");

      // docker rm + docker run: a fresh image folder, the same volume.
      deleteTree(image);
      Path recreated = layOut(layout, server.home.resolve("image-2"));
      server.runFrom(recreated.resolve(relativeToRoot(layout.workdir())), "promptlab.jar", javaOptions(layout)).start();

      assertEquals(current, currentVersion(server), "the current version does not fall back to the seed's");
      assertEquals(history, versions(server));
      HttpResponse<String> shown = server.get("/api/admin/prompts/" + candidate);
      assertEquals(200, shown.statusCode(), shown.body());
      assertEquals(new JsonObject(document), new JsonObject(shown.body()));
      assertEquals(200, server.getBytes(experiment.getString("original_url")).statusCode());
      assertTrue(java.util.Arrays.equals(original, server.getBytes(experiment.getString("original_url")).body()));
      HttpResponse<String> storedDataset = server.get("/api/v1/datasets/" + dataset.getLong("id"));
      assertEquals(200, storedDataset.statusCode(), storedDataset.body());
      assertEquals(dataset, new JsonObject(storedDataset.body()), "the text-prompt platform's data is on the volume");
      try (Stream<Path> files = Files.walk(recreated)) {
        List<String> written = files.filter(Files::isRegularFile)
          .map(p -> recreated.relativize(p).toString()).filter(p -> !layout.copies().containsValue("/" + p)
            && layout.copies().values().stream().noneMatch(target -> p.startsWith(target.substring(1) + "/")))
          .toList();
        assertEquals(List.of(), written, "nothing is written into the image's folders");
      }
    }
  }

  /** A small dataset through the packaged jar's /api/v1, as a script sends it with curl -F. */
  private static JsonObject uploadDataset(PackagedServer server) throws IOException, InterruptedException {
    byte[] file = "input,expected\nFrance,Paris\nPeru,Lima\nJapan,Tokyo\nKenya,\n,Madrid\n"
      .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> created = server.postMultipart("/api/v1/datasets", "file", "capitals.csv", "text/csv", file,
      Map.of("name", "capitals"));
    assertEquals(201, created.statusCode(), created.body());
    JsonObject report = new JsonObject(created.body());
    assertEquals(4, report.getInteger("rows"), report.encode());
    assertEquals(1, report.getInteger("rejected_count"), "the row without an input is refused");
    HttpResponse<String> listed = server.get("/api/v1/datasets");
    assertEquals(200, listed.statusCode(), listed.body());
    assertEquals(1, new JsonObject(listed.body()).getJsonArray("datasets").size());
    return report;
  }

  /** The runtime stage: everything after the last FROM. Only the instructions this image uses are understood. */
  private static Layout readDockerfile(Path dockerfile) throws IOException {
    List<String> lines = joinContinuations(Files.readAllLines(dockerfile));
    int lastFrom = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    String workdir = "/";
    Map<String, String> copies = new LinkedHashMap<>();
    Map<String, String> environment = new LinkedHashMap<>();
    for (String line : lines.subList(lastFrom, lines.size())) {
      if (line.startsWith("WORKDIR ")) {
        workdir = line.substring(8).trim();
      } else if (line.startsWith("COPY ")) {
        Matcher m = COPY.matcher(line);
        assertTrue(m.matches(), "a COPY this test understands: " + line);
        // From the build stage: its /src is the checkout, and the build ran `mvn package` as the suite did.
        String source = m.group(1) == null ? m.group(2) : m.group(2).replaceFirst("^/src/", "");
        copies.put(source, m.group(3));
      } else if (line.startsWith("ENV ")) {
        Matcher m = ENV_PAIR.matcher(line.substring(4));
        while (m.find()) {
          environment.put(m.group(1), m.group(2).replace("\"", ""));
        }
      }
    }
    return new Layout(workdir, copies, environment);
  }

  private static List<String> joinContinuations(List<String> raw) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : raw) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") && current.length() == 0) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        current.append(trimmed);
        lines.add(current.toString().trim());
        current.setLength(0);
      }
    }
    return lines;
  }

  /** Copies each COPY source from the checkout to its target under {@code root} (the image's "/"). */
  private static Path layOut(Layout layout, Path root) throws IOException {
    for (Map.Entry<String, String> copy : layout.copies().entrySet()) {
      Path source = PackagedServer.projectRoot().resolve(copy.getKey());
      Path target = root.resolve(relativeToRoot(copy.getValue()));
      Files.createDirectories(target.getParent());
      try (Stream<Path> paths = Files.walk(source)) {
        for (Path p : paths.sorted().toList()) {
          Path to = target.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return root;
  }

  /** The JVM options of JAVA_OPTS, as the entry point passes them. */
  private static List<String> javaOptions(Layout layout) {
    String options = layout.environment().getOrDefault("JAVA_OPTS", "");
    return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
  }

  private static String relativeToRoot(String absolute) {
    assertFalse(absolute.isEmpty());
    return absolute.startsWith("/") ? absolute.substring(1) : absolute;
  }

  private static String currentVersion(PackagedServer server) throws Exception {
    HttpResponse<String> status = server.get("/api/train/status?mode=structure");
    assertEquals(200, status.statusCode(), status.body());
    return new JsonObject(status.body()).getJsonObject("prompt_evolution").getString("current_version");
  }

  private static JsonArray versions(PackagedServer server) throws Exception {
    HttpResponse<String> response = server.get("/api/admin/prompts");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("versions");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
