package dev.promptlab.launcher;

import dev.promptlab.http.imports.ManifestBatches;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code java -jar promptlab.jar import --manifest FILE [--server URL]}: sends a manifest of historical enhancements
 * and the image files it names (paths relative to the manifest) to a running server's
 * {@code POST /api/admin/imports}, with the admin token from {@code PROMPTLAB_ADMIN_TOKEN}, and prints the reports.
 * A large manifest goes in batches of consecutive rows that each fit one request ({@link ManifestBatches}); each
 * batch is an import of its own on the server, its rows numbered as in the whole manifest. It talks to the server
 * rather than to the database: a running server holds its data directory.
 */
final class ImportCommand {

  static final String NAME = "import";
  static final String TOKEN_VARIABLE = "PROMPTLAB_ADMIN_TOKEN";
  static final String DEFAULT_SERVER = "http://localhost:8080";
  /**
   * Rows per request: with two images each, within the server's 256 multipart parts (Vert.x's default form field
   * limit) and far within its {@code max_import_rows}.
   */
  static final int DEFAULT_BATCH_ROWS = 100;
  /** Bytes per request: under the server's default {@code max_upload_bytes} (20 MiB) with room to spare. */
  static final long DEFAULT_BATCH_BYTES = 16L * 1024 * 1024;
  private static final String USAGE = "usage: " + TOKEN_VARIABLE + "=<admin token> java -jar promptlab.jar " + NAME
    + " --manifest FILE [--server URL] [--batch-rows N] [--batch-bytes N]";

  /** Exit codes: every row taken (or there already); failed; usage; some rows refused. */
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int USAGE_ERROR = 2;
  static final int ROWS_REFUSED = 3;

  private final Map<String, String> environment;
  private final PrintStream out;
  private int batchRows = DEFAULT_BATCH_ROWS;
  private long batchBytes = DEFAULT_BATCH_BYTES;

  ImportCommand(Map<String, String> environment, PrintStream out) {
    this.environment = environment;
    this.out = out;
  }

  static int main(String[] args) {
    return new ImportCommand(System.getenv(), System.out).run(args);
  }

  /** Returns the process exit code. */
  int run(String[] args) {
    String manifestArgument = null;
    String server = DEFAULT_SERVER;
    for (int i = 1; i < args.length; i++) {
      if (i + 1 < args.length && args[i].equals("--manifest")) {
        manifestArgument = args[++i];
      } else if (i + 1 < args.length && args[i].equals("--server")) {
        server = args[++i];
      } else if (i + 1 < args.length && args[i].equals("--batch-rows") && positive(args[i + 1]) > 0) {
        batchRows = (int) Math.min(positive(args[++i]), Integer.MAX_VALUE);
      } else if (i + 1 < args.length && args[i].equals("--batch-bytes") && positive(args[i + 1]) > 0) {
        batchBytes = positive(args[++i]);
      } else {
        out.println("unknown or incomplete argument " + args[i]);
        out.println(USAGE);
        return USAGE_ERROR;
      }
    }
    String token = environment.get(TOKEN_VARIABLE);
    if (manifestArgument == null || token == null || token.isBlank()) {
      out.println(manifestArgument == null ? "no --manifest given" : "no token: set " + TOKEN_VARIABLE);
      out.println(USAGE);
      return USAGE_ERROR;
    }
    URI endpoint;
    try {
      endpoint = URI.create(server.replaceAll("/+$", "") + "/api/admin/imports");
      if (endpoint.getHost() == null || !List.of("http", "https").contains(endpoint.getScheme())) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      out.println("--server " + server + ": " + e.getMessage());
      return USAGE_ERROR;
    }
    try {
      return send(Path.of(manifestArgument).toAbsolutePath().normalize(), endpoint, token.strip());
    } catch (IOException e) {
      out.println("Failed: " + e.getMessage());
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
  }

  private int send(Path manifest, URI endpoint, String token) throws IOException, InterruptedException {
    if (!Files.isRegularFile(manifest)) {
      out.println("Failed: no manifest file " + manifest);
      return FAILED;
    }
    byte[] manifestBytes = Files.readAllBytes(manifest);
    String manifestName = manifest.getFileName().toString();
    Path folder = manifest.getParent();
    List<ManifestBatches.Batch> batches;
    try {
      batches = ManifestBatches.split(manifestName, manifestBytes, batchRows, batchBytes, path -> size(folder, path));
    } catch (IllegalArgumentException notAManifest) {
      out.println("Refused: " + notAManifest.getMessage());
      return FAILED;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    // The credentials are checked first by a request without a body: the server refuses a body-carrying request
    // from an unknown caller before reading its body and then closes the connection, so a client still writing
    // the body may never read the refusal.
    HttpResponse<String> check = exchange(client, HttpRequest.newBuilder(endpoint).version(HttpClient.Version.HTTP_1_1)
      .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build());
    if (check == null) {
      return FAILED;
    }
    if (check.statusCode() != 200) {
      refused(check);
      return FAILED;
    }
    Totals totals = new Totals();
    for (ManifestBatches.Batch batch : batches) {
      out.println("Sending rows " + batch.firstRow() + "-" + (batch.firstRow() + batch.rows() - 1) + " of "
        + manifestName + " and " + batch.paths().size() + " image files to " + endpoint);
      HttpResponse<String> response = exchange(client, request(endpoint, token, manifestName, batch, folder));
      if (response == null || !totals.add(response)) {
        // What was sent before is stored: running the command again sends it once more and adds nothing twice.
        return FAILED;
      }
    }
    out.println(manifestName + ": " + totals.rows + " rows, " + totals.accepted + " accepted, "
      + totals.alreadyImported + " already imported, " + totals.refusals + " refusals");
    return totals.refusals == 0 ? DONE : ROWS_REFUSED;
  }

  /** The server's answer, or null (and a message) when no server answers at the request's address. */
  private HttpResponse<String> exchange(HttpClient client, HttpRequest request)
    throws IOException, InterruptedException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      out.println("Failed: no server answers at " + request.uri().resolve("/") + " (is it running?)");
      return null;
    }
  }

  private static long size(Path folder, String path) {
    Path file = folder.resolve(path);
    try {
      return Files.isRegularFile(file) ? Files.size(file) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static HttpRequest request(URI endpoint, String token, String manifestName, ManifestBatches.Batch batch,
                                     Path folder) throws IOException {
    String boundary = "promptlab-import-" + UUID.randomUUID();
    List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
    parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"first_row\"\r\n\r\n"
      + batch.firstRow() + "\r\n"));
    parts.add(text(partHeader(boundary, "manifest", manifestName)));
    parts.add(HttpRequest.BodyPublishers.ofByteArray(batch.manifest()));
    for (String path : batch.paths()) {
      Path file = folder.resolve(path);
      parts.add(text("\r\n" + partHeader(boundary, path, file.getFileName().toString())));
      parts.add(HttpRequest.BodyPublishers.ofFile(file));
    }
    parts.add(text("\r\n--" + boundary + "--\r\n"));
    return HttpRequest.newBuilder(endpoint)
      .version(HttpClient.Version.HTTP_1_1)
      .timeout(Duration.ofMinutes(30))
      .header("Authorization", "Bearer " + token)
      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
      .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)))
      .build();
  }

  /** Says why the server refused a request: its API error, or its status when the answer is not one. */
  private void refused(HttpResponse<String> response) {
    JsonObject error;
    try {
      error = new JsonObject(response.body()).getJsonObject("error");
    } catch (DecodeException | ClassCastException e) {
      error = null;
    }
    if (error == null) {
      out.println("Failed: the server answered " + response.statusCode() + " without an API error");
      return;
    }
    out.println("Refused (" + response.statusCode() + " " + error.getString("code") + "): "
      + error.getString("message"));
  }

  /** The reports of the batches added up; refused rows are printed as they come. */
  private final class Totals {
    int rows;
    int accepted;
    int alreadyImported;
    int refusals;

    /** Adds one batch's answer; false (after saying why) when the server refused the batch whole. */
    boolean add(HttpResponse<String> response) {
      if (response.statusCode() != 200) {
        refused(response);
        return false;
      }
      JsonObject body;
      try {
        body = new JsonObject(response.body());
      } catch (DecodeException | ClassCastException e) {
        out.println("Failed: the server answered " + response.statusCode() + " without a JSON body");
        return false;
      }
      JsonArray refused = body.getJsonArray("refused", new JsonArray());
      out.println("import " + body.getValue("import_id") + ": " + body.getInteger("rows", 0) + " rows, "
        + body.getInteger("accepted", 0) + " accepted, " + body.getInteger("already_imported", 0)
        + " already imported, " + refused.size() + " refusals");
      refused.forEach(r -> {
        JsonObject refusal = (JsonObject) r;
        out.println("  row " + refusal.getValue("row") + ", " + refusal.getString("field") + ": "
          + refusal.getString("error") + ": " + refusal.getString("message"));
      });
      rows += body.getInteger("rows", 0);
      accepted += body.getInteger("accepted", 0);
      alreadyImported += body.getInteger("already_imported", 0);
      refusals += refused.size();
      return true;
    }
  }

  private static long positive(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String partHeader(String boundary, String field, String fileName) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(field) + "\"; filename=\""
      + quoted(fileName) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
  }

  // RFC 7578: a quote or line break in a name is percent-encoded.
  private static String quoted(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  private static HttpRequest.BodyPublisher text(String text) {
    return HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
  }
}
