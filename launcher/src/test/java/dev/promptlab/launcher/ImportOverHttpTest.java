package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The import of historical enhancements over HTTP against the real server: database, generation (which stores the
 * images), optimizer (which learns the imported ratings from rated_variants) and evolution (which knows the prompt
 * versions).
 */
@ExtendWith(BlockedThreadGuard.class)
class ImportOverHttpTest {

  private static final String HEADER = "original_image,enhanced_image,mode,api,strength,guidance_scale,control_weight,"
    + "prompt_version,rating,comments\n";
  private static final int MAX_ROWS = 20;

  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    server = RunningServer.start(TestDatabase.settings().url(),
      Map.of("PROMPTLAB__HTTP__MAX_IMPORT_ROWS", String.valueOf(MAX_ROWS)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A manifest and the files it names, as multipart parts named by their paths. */
  private static MultipartForm form(String manifestName, String manifest, Map<String, byte[]> files) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("manifest", manifestName,
      Buffer.buffer(manifest.getBytes(StandardCharsets.UTF_8)), "text/csv");
    files.forEach((path, bytes) -> form.binaryFileUpload(path, path.substring(path.lastIndexOf('/') + 1),
      Buffer.buffer(bytes), "application/octet-stream"));
    return form;
  }

  private static HttpResponse<Buffer> send(MultipartForm form) {
    return await(server.post("/api/admin/imports").sendMultipartForm(form));
  }

  private static JsonObject imported(String manifestName, String manifest, Map<String, byte[]> files) {
    HttpResponse<Buffer> response = send(form(manifestName, manifest, files));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  @Test
  void acceptedRowsAreRatedVariantsTheOptimizerLearnsAndAReImportAddsNothing() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("renders/kitchen.jpg", SampleImages.jpeg(320, 240));
    files.put("renders/hall.png", SampleImages.pngWithAlpha(300, 200));
    files.put("enhanced/kitchen-a.jpg", SampleImages.jpeg(321, 240));
    files.put("enhanced/kitchen-b.jpg", SampleImages.jpeg(322, 240));
    files.put("enhanced/hall-a.png", SampleImages.pngWithAlpha(301, 200));
    String manifest = HEADER
      + "renders/kitchen.jpg,enhanced/kitchen-a.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,4,\"warm, soft light\"\n"
      + "renders/kitchen.jpg,enhanced/kitchen-b.jpg,structure,stablediffusion,0.45,9,0.8,v1.0.0,2,walls bend\n"
      + "renders/hall.png,enhanced/hall-a.png,surfaces,leonardo,0.2,6,0.75,v1.0.0,5,\n";
    long images = TestDatabase.count("SELECT count(*) FROM images");
    long observations = TestDatabase.count("SELECT count(*) FROM optimizer_observations");

    JsonObject report = imported("history.csv", manifest, files);
    assertEquals(3, report.getInteger("rows"));
    assertEquals(3, report.getInteger("accepted"), report.encodePrettily());
    assertEquals(0, report.getInteger("already_imported"));
    assertEquals(new JsonArray(), report.getJsonArray("refused"));
    long importId = report.getLong("import_id");

    // Each row is an experiment of its own with its own copy of the original.
    assertEquals(images + 6, TestDatabase.count("SELECT count(*) FROM images"));
    assertEquals(3, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE import_id = " + importId));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE import_id = " + importId
      + " AND mode = 'structure' AND api = 'stablediffusion' AND strength = 0.45 AND guidance_scale = 9"
      + " AND control_weight = 0.8 AND prompt_version = 'v1.0.0' AND rating = 2 AND comment = 'walls bend'"
      + " AND rated_by = 'admin-token' AND variant_image_id IS NOT NULL"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE import_id = " + importId
      + " AND comment = 'warm, soft light'"));

    // The optimizer learns them from rated_variants, as a trainer's ratings: one observation per imported rating.
    Eventually.until("the optimizer learnt the imported ratings", () -> TestDatabase.count(
      "SELECT count(*) FROM optimizer_observations o JOIN rated_variants v ON v.rating_id = o.rating_id"
        + " WHERE v.import_id = " + importId) == 3);
    assertEquals(observations + 3, TestDatabase.count("SELECT count(*) FROM optimizer_observations"));
    // The reward verticle finds them there too: it computes the features of the imported variants to train on.
    Eventually.until("the reward verticle has the imported variants' features", () -> TestDatabase.count(
      "SELECT count(DISTINCT f.image_id) FROM image_features f JOIN rated_variants v ON v.variant_image_id = f.image_id"
        + " WHERE v.import_id = " + importId) == 3);

    HttpResponse<Buffer> shown = await(server.get("/api/admin/imports/" + importId).send());
    assertEquals(200, shown.statusCode(), shown.bodyAsString());
    assertEquals(3, shown.bodyAsJsonObject().getInteger("accepted"));
    assertEquals("finished", shown.bodyAsJsonObject().getString("status"));
    assertEquals("history.csv", shown.bodyAsJsonObject().getString("manifest"));

    long ratings = TestDatabase.count("SELECT count(*) FROM ratings");
    long imagesAfter = TestDatabase.count("SELECT count(*) FROM images");
    JsonObject again = imported("history.csv", manifest, files);
    assertEquals(0, again.getInteger("accepted"));
    assertEquals(3, again.getInteger("already_imported"));
    assertEquals(new JsonArray(), again.getJsonArray("refused"));
    assertEquals(ratings, TestDatabase.count("SELECT count(*) FROM ratings"));
    assertEquals(imagesAfter, TestDatabase.count("SELECT count(*) FROM images"), "nothing was sent to be stored");

    JsonArray latest = await(server.get("/api/admin/imports").send()).bodyAsJsonObject().getJsonArray("imports");
    assertEquals(again.getLong("import_id"), latest.getJsonObject(0).getLong("import_id"));
  }

  @Test
  void jsonLinesWithTheSeedsNamesAndTheRatersOwnNameAndTime() throws Exception {
    Map<String, byte[]> files = Map.of("o.jpg", SampleImages.jpeg(200, 150), "e.jpg", SampleImages.jpeg(201, 150));
    String manifest = new JsonObject().put("original_image", "o.jpg").put("enhanced_image", "e.jpg")
      .put("api", "leonardo").put("init_strength", 0.35).put("guidance_scale", 8).put("controlnet_weight", 0.85)
      .put("prompt_version", "v1.0.0").put("rating", 3).put("comments", "ok").put("rated_by", "maria@example.com")
      .put("rated_at", "2024-03-01T10:15:00Z").encode() + "\n";
    JsonObject report = imported("export.jsonl", manifest, files);
    assertEquals(1, report.getInteger("accepted"), report.encodePrettily());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE import_id = "
      + report.getLong("import_id") + " AND rated_by = 'maria@example.com' AND strength = 0.35"
      + " AND rated_at = '2024-03-01T10:15:00Z'::timestamptz"));
  }

  @Test
  void eachBadRowIsRefusedWithItsFieldAndCodeWhileTheGoodOnesAreStored() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("o.jpg", SampleImages.jpeg(240, 180));
    files.put("a.jpg", SampleImages.jpeg(241, 180));
    files.put("b.jpg", SampleImages.jpeg(242, 180));
    files.put("notes.png", "minutes of the meeting, not a picture".getBytes(StandardCharsets.UTF_8));
    String manifest = HEADER
      + "o.jpg,a.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,4,fine\n"          // 1 accepted
      + "o.jpg,b.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,,\n"               // 2 rating missing
      + "o.jpg,b.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,7,\n"              // 3 rating out of range
      + "o.jpg,b.jpg,structure,dalle,0.3,7.5,0.9,v1.0.0,3,\n"                 // 4 unknown api
      + "o.jpg,b.jpg,structure,leonardo,0.3,20,0.9,v1.0.0,3,\n"               // 5 guidance out of range
      + "o.jpg,gone.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,3,\n"           // 6 no such file
      + "o.jpg,notes.png,structure,leonardo,0.3,7.5,0.9,v1.0.0,3,\n"          // 7 not an image
      + "o.jpg,a.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,4,fine\n"          // 8 repeats row 1
      + "o.jpg,b.jpg,structure,leonardo,0.3,7.5,0.9,v7.7.7,3,\n"              // 9 unknown prompt version
      + "o.jpg,b.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,2,\n";             // 10 accepted
    long images = TestDatabase.count("SELECT count(*) FROM images");
    long experiments = TestDatabase.count("SELECT count(*) FROM experiments");

    JsonObject report = imported("mixed.csv", manifest, files);
    assertEquals(10, report.getInteger("rows"));
    assertEquals(2, report.getInteger("accepted"), report.encodePrettily());
    List<String> refused = report.getJsonArray("refused").stream().map(JsonObject.class::cast)
      .map(r -> r.getInteger("row") + " " + r.getString("field") + " " + r.getString("error")).toList();
    assertEquals(List.of("2 rating invalid_request", "3 rating invalid_request", "4 api invalid_request",
      "5 guidance_scale invalid_request", "6 enhanced_image not_found", "7 enhanced_image unsupported_media",
      "8 row conflict", "9 prompt_version not_found"), refused);
    report.getJsonArray("refused").stream().map(JsonObject.class::cast)
      .forEach(r -> assertTrue(r.getString("message").length() > 10, r.encode()));
    assertTrue(report.getJsonArray("refused").getJsonObject(6).getString("message").contains("row 1"));

    // The two accepted rows' originals and variants: the refused image left nothing behind, nor did any refused row.
    assertEquals(images + 4, TestDatabase.count("SELECT count(*) FROM images"));
    assertEquals(experiments + 2, TestDatabase.count("SELECT count(*) FROM experiments"));
  }

  @Test
  void aManifestThatIsNotOneIsRefusedWholeAndStoresNothing() throws Exception {
    long imports = TestDatabase.count("SELECT count(*) FROM imports");
    long images = TestDatabase.count("SELECT count(*) FROM images");
    Map<String, byte[]> files = Map.of("o.jpg", SampleImages.jpeg(100, 80));

    assertError(send(form("m.csv", "name,age\nana,3\n", files)), 400, "lacks the columns");
    assertError(send(form("m.jsonl", "{\"rating\": 4}\nnot json\n", files)), 400, "line 2 is not a JSON object");
    assertError(send(MultipartForm.create().binaryFileUpload("manifest", "m.bin",
      Buffer.buffer(new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xfe, 0, 1}), "application/octet-stream")),
      400, "not UTF-8");
    assertError(send(MultipartForm.create().binaryFileUpload("o.jpg", "o.jpg", Buffer.buffer(new byte[] {1}),
      "image/jpeg")), 400, "manifest");
    assertError(send(form("m.csv", HEADER, files)), 400, "no rows");
    assertError(send(form("m.csv", HEADER
      + "o.jpg,o.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,4,\n".repeat(MAX_ROWS + 1), files)), 413,
      "at most " + MAX_ROWS);
    assertError(send(form("m.csv", HEADER, Map.of("../o.jpg", new byte[] {1}))), 400, "manifest's folder");

    assertEquals(imports, TestDatabase.count("SELECT count(*) FROM imports"));
    assertEquals(images, TestDatabase.count("SELECT count(*) FROM images"));
  }

  @Test
  void onlyAdminsImport() throws Exception {
    MultipartForm form = form("m.csv", HEADER + "o.jpg,e.jpg,structure,leonardo,0.3,7.5,0.9,v1.0.0,4,\n",
      Map.of("o.jpg", SampleImages.jpeg(90, 60), "e.jpg", SampleImages.jpeg(91, 60)));
    long imports = TestDatabase.count("SELECT count(*) FROM imports");

    // Without valid credentials the answer comes before the body is read and the connection then closes, so a
    // client still writing its body may lose the answer (the http module's UnauthenticatedBodiesTest covers that
    // exchange byte by byte); here the refusals are asked for without a body.
    assertError(await(server.client.post("/api/admin/imports").send()), 401, "");
    assertError(await(server.client.post("/api/admin/imports").putHeader("Authorization", "Bearer not-a-token")
      .send()), 401, "");
    TrainerSession trainer = TrainerSession.createAndLogIn(server, "lucia.import@example.com",
      "a long enough passphrase 42");
    assertError(await(trainer.request(HttpMethod.POST, "/api/admin/imports").sendMultipartForm(form)), 403, "");
    assertError(await(trainer.request(HttpMethod.GET, "/api/admin/imports").send()), 403, "");
    assertEquals(imports, TestDatabase.count("SELECT count(*) FROM imports"));

    assertError(await(server.get("/api/admin/imports/987654").send()), 404, "no import 987654");
    assertError(await(server.get("/api/admin/imports/latest-one").send()), 404, "");
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String messagePart) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(error, "JSON error body: " + response.bodyAsString());
    assertTrue(error.getString("message").contains(messagePart), error.encode());
  }
}
