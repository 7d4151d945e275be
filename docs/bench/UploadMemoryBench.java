import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Peak memory of the packaged server under N parallel uploads of a ~19.4 MiB PNG (noise, so it does not compress).
 * Starts {@code java -jar JAR} as a user would (embedded database, default local providers) in a fresh folder,
 * sends the uploads at once, then reads the server's peak resident set ({@code VmHWM} in /proc, exact: the
 * kernel's high-water mark, not a sample) and stops it with SIGTERM.
 *
 * <pre>java docs/bench/UploadMemoryBench.java launcher/target/promptlab.jar [uploads=40] [extra JVM options]</pre>
 * Run from the project root. Prints the status counts, the peak RSS and the wall time.
 */
public class UploadMemoryBench {

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    int uploads = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Path home = Files.createTempDirectory("promptlab-bench-");
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String token = "bench-admin-token-0123456789abcdef";
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (int i = 2; i < args.length; i++) {
      command.add(args[i]);
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(home.resolve("server.log").toFile());
    builder.environment().put("PROMPTLAB_DATA_DIR", home.resolve("data").toString());
    builder.environment().put("PROMPTLAB_HTTP_PORT", String.valueOf(port));
    builder.environment().put("PROMPTLAB_ADMIN_TOKEN", token);
    builder.environment().put("PROMPTLAB__HTTP__HOST", "127.0.0.1");
    builder.environment().put("PROMPTLAB__HTTP__UPLOADS_DIR", home.resolve("spool").toString());
    Process server = builder.start();
    while (!Files.readString(home.resolve("server.log")).contains("PromptLab is up")) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the server exited; see " + home.resolve("server.log"));
      }
      Thread.sleep(200);
    }
    byte[] png = noisePng(2600, 2600);
    String boundary = "----bench";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"noise.png\"\r\n"
      + "Content-Type: image/png\r\n\r\n").getBytes());
    body.writeBytes(png);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
    byte[] bytes = body.toByteArray();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long started = System.nanoTime();
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < uploads; i++) {
      answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/enhance/train"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
          if (e != null) {
            System.err.println("no answer: " + e);
          }
          return e == null ? r.statusCode() : -1;
        }));
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (CompletableFuture<Integer> answer : answers) {
      statuses.merge(answer.get(15, TimeUnit.MINUTES), 1, Integer::sum);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    String peak = Files.readAllLines(Path.of("/proc/" + server.pid() + "/status")).stream()
      .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
    server.destroy();
    int exit = server.waitFor(3, TimeUnit.MINUTES) ? server.exitValue() : -999;
    System.out.printf("%d uploads of %.1f MiB: statuses %s (-1: no answer) in %d s; server peak RSS %s; exit %d; log %s%n",
      uploads, png.length / 1048576.0, statuses, seconds, peak.replace("VmHWM:", "").strip(), exit,
      home.resolve("server.log"));
  }

  private static byte[] noisePng(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
