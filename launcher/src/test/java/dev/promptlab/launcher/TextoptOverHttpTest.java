package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static dev.promptlab.launcher.RunningServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The text-prompt platform's {@code /api/v1} through the whole server (launcher, http, textopt, the real embedded
 * PostgreSQL): datasets uploaded, validated row by row, split and listed; text prompts created, versioned, listed and
 * deleted; every refusal with its status and the project's error shape; the OpenAPI document against the routes the
 * server answers; the API page in both languages; and the textopt verticle redeployed while the API keeps its data.
 */
@ExtendWith(BlockedThreadGuard.class)
class TextoptOverHttpTest {

  /** Small limits, so the limits can be passed with small files: textopt's below the shared upload limit. */
  private static final Map<String, String> LIMITS = Map.of(
    "PROMPTLAB__MAX_UPLOAD_BYTES", "8192",
    "PROMPTLAB__TEXTOPT__MAX_DATASET_BYTES", "4096",
    "PROMPTLAB__TEXTOPT__MAX_DATASET_ROWS", "20");

  /** How a caller with the admin token is recorded. */
  private static final String ADMIN = "admin-token";

  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    server = RunningServer.startOnTestDatabase(LIMITS);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  // ------------------------------------------------------------------ datasets

  @Test
  void aJsonLinesDatasetIsStoredWithItsSplitAndTheReportOfItsRefusedRows() {
    String file = """
      {"id": "c1", "input": "France", "expected": "Paris", "region": "europe"}
      {"id": "c2", "input": "Peru", "expected": "Lima"}
      {"id": "c3", "input": "Japan"}
      {"id": "c4", "input": "Kenya", "expected": "Nairobi"}
      {"id": "c2", "input": "Chile", "expected": "Santiago"}
      {"id": "c5", "input": "Spain", "expected": "Madrid"}
      """;
    HttpResponse<Buffer> created = upload("capitals", "capitals.jsonl", file, null);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject report = created.bodyAsJsonObject();
    long id = report.getLong("id");
    assertEquals("/api/v1/datasets/" + id, created.getHeader("location"));
    assertEquals("capitals", report.getString("name"));
    assertEquals("jsonl", report.getString("format"));
    assertEquals(4, report.getInteger("rows"));
    assertEquals(1, report.getInteger("eval_rows"), "round(4 x 0.2) = 1 held out");
    assertEquals(3, report.getInteger("train_rows"));
    assertEquals(new JsonArray()
      .add(new JsonObject().put("line", 3).put("reason", "expected is missing").put("code", "expected_missing")
        .put("args", new JsonObject()))
      .add(new JsonObject().put("line", 5).put("reason", "duplicate id c2 (first on line 2)").put("code", "duplicate_id")
        .put("args", new JsonObject().put("id", "c2").put("first_line", "2"))),
      report.getJsonArray("rejected"));
    assertEquals(2, report.getInteger("rejected_count"));
    assertEquals(ADMIN, report.getString("uploaded_by"));

    assertEquals(report, server.json("/api/v1/datasets/" + id));
    JsonArray listed = server.json("/api/v1/datasets").getJsonArray("datasets");
    assertTrue(listed.stream().map(d -> ((JsonObject) d).getLong("id")).toList().contains(id), listed.encode());

    JsonObject again = upload("capitals again", "capitals.jsonl", file, null).bodyAsJsonObject();
    assertNotEquals(id, again.getLong("id"));
    assertEquals(report.getLong("split_seed"), again.getLong("split_seed"), "the same file, the same split");
  }

  @Test
  void aCsvDatasetWithAStatedRatioAndMetadataColumns() {
    String file = "id,input,expected,difficulty\n1,\"Hello, world\",hola mundo,easy\n2,cat,gato,easy\n"
      + "3,dog,perro,easy\n4,\"two\nlines\",\"dos\nlíneas\",hard\n";
    HttpResponse<Buffer> created = upload("es-en", "words.csv", file, Map.of("eval_ratio", "0.5"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject report = created.bodyAsJsonObject();
    assertEquals("csv", report.getString("format"));
    assertEquals(4, report.getInteger("rows"));
    assertEquals(2, report.getInteger("eval_rows"));
    assertEquals(0.5, report.getDouble("eval_ratio"));
    assertEquals(new JsonArray(), report.getJsonArray("rejected"));
  }

  @Test
  void uploadsThatAreNotADatasetAreRefusedWithAClearError() {
    String good = "input,expected\na,b\nc,d\n";
    refused(400, "the multipart field file", await(server.post("/api/v1/datasets")
      .sendMultipartForm(MultipartForm.create().attribute("name", "x"))));
    refused(400, "the multipart field file", await(server.post("/api/v1/datasets")
      .sendJsonObject(new JsonObject().put("name", "x"))));
    refused(400, "name is required", upload(null, "a.csv", good, null));
    refused(400, "eval_ratio must be a number", upload("x", "a.csv", good, Map.of("eval_ratio", "a fifth")));
    refused(400, "eval_ratio must be a number", upload("x", "a.csv", good, Map.of("eval_ratio", "1")));
    refused(400, "format must be jsonl or csv", upload("x", "a.csv", good, Map.of("format", "xlsx")));
    refused(400, "the file is empty", upload("x", "a.csv", "", null));
    refused(400, "the file is not UTF-8 text: byte 18 (line 2)", upload("x", "a.csv",
      Buffer.buffer("input,expected\nCaf\u00e9,coffee\n".getBytes(StandardCharsets.ISO_8859_1))));
    refused(400, "the header row lacks the column expected (it names: input, answer)",
      upload("x", "a.csv", "input,answer\na,b\n", null));
    refused(400, "only one row of the file is usable", upload("x", "a.jsonl",
      "{\"id\":1,\"input\":\"a\",\"expected\":\"b\"}\n{\"id\":1,\"input\":\"c\",\"expected\":\"d\"}\n", null));
    refused(400, "no row of the file is usable: line 1: not a JSON object",
      upload("x", "a.jsonl", "\"text\"\n", null));
    refused(400, "JSON array", upload("x", "a.json", "[{\"input\":\"a\",\"expected\":\"b\"}]", null));
  }

  @Test
  void filesBeyondTheLimitsAreRefusedAsTooLarge() {
    StringBuilder rows = new StringBuilder("input,expected\n");
    for (int i = 0; i < 21; i++) {
      rows.append("q").append(i).append(",a\n");
    }
    refused(413, "the file has more than 20 rows", upload("x", "a.csv", rows.toString(), null));
    String big = "input,expected\n" + ("a".repeat(90) + ",b\n").repeat(50);
    refused(413, "a dataset may have at most 4096", upload("x", "a.csv", big, null));
    String huge = "input,expected\n" + ("a".repeat(90) + ",b\n").repeat(100);
    HttpResponse<Buffer> beyondUpload = upload("x", "a.csv", huge, null);
    assertEquals(413, beyondUpload.statusCode(), "the shared upload limit is checked on the body itself");
  }

  @Test
  void unknownDatasetsAndMalformedListsAreAnsweredAsSuch() {
    refused(404, "no dataset 999999", await(server.get("/api/v1/datasets/999999").send()));
    refused(404, "no dataset abc", await(server.get("/api/v1/datasets/abc").send()));
    refused(400, "limit must be an integer from 1 to 200", await(server.get("/api/v1/datasets?limit=0").send()));
    refused(400, "limit must be an integer from 1 to 200", await(server.get("/api/v1/prompts?limit=many").send()));
    HttpResponse<Buffer> anonymous = await(server.client.get("/api/v1/datasets").send());
    refused(401, "log in", anonymous);
    assertEquals("Bearer", anonymous.getHeader("www-authenticate"));
    refused(401, "log in", await(server.client.post("/api/v1/prompts").sendJsonObject(prompt("p", "s", "o"))));
  }

  // ------------------------------------------------------------------ prompts

  @Test
  void aPromptIsVersionedNeverRewrittenAndDeletedWithoutLosingItsVersions() {
    HttpResponse<Buffer> created = server.send(HttpMethod.POST, "/api/v1/prompts",
      prompt("extraction", "You extract city names.", ""));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    assertEquals(new JsonObject().put("id", id).put("version", 1).put("created", true), created.bodyAsJsonObject());
    assertEquals("/api/v1/prompts/" + id, created.getHeader("location"));

    JsonObject changed = ok(server.send(HttpMethod.PUT, "/api/v1/prompts/" + id,
      new JsonObject().put("system_prompt", "You extract city names.").put("output_prompt", "Answer with the name.")));
    assertEquals(new JsonObject().put("id", id).put("version", 2).put("created", true), changed);
    JsonObject unchanged = ok(server.send(HttpMethod.PUT, "/api/v1/prompts/" + id,
      new JsonObject().put("system_prompt", "You extract city names.").put("output_prompt", "Answer with the name.")));
    assertEquals(new JsonObject().put("id", id).put("version", 2).put("created", false), unchanged);
    JsonObject renamed = ok(server.send(HttpMethod.PUT, "/api/v1/prompts/" + id, prompt("city extraction",
      "You extract city names.", "Answer with the name.")));
    assertEquals(2, renamed.getInteger("version"));
    assertFalse(renamed.getBoolean("created"));

    JsonObject current = server.json("/api/v1/prompts/" + id);
    assertEquals("city extraction", current.getString("name"));
    assertEquals(2, current.getInteger("version"));
    assertEquals("Answer with the name.", current.getString("output_prompt"));
    assertEquals(ADMIN, current.getString("created_by"));

    JsonObject versions = server.json("/api/v1/prompts/" + id + "/versions");
    JsonArray list = versions.getJsonArray("versions");
    assertEquals(List.of(2, 1), list.stream().map(v -> ((JsonObject) v).getInteger("version")).toList());
    assertEquals(1, list.getJsonObject(0).getInteger("parent_version"));
    assertEquals("", list.getJsonObject(1).getString("output_prompt"), "version 1 is as it was written");
    assertEquals("manual", list.getJsonObject(1).getString("origin"));

    assertTrue(promptIds().contains(id));
    JsonObject deleted = ok(server.send(HttpMethod.DELETE, "/api/v1/prompts/" + id, null));
    assertEquals(new JsonObject().put("id", id).put("deleted", true).put("versions", 2), deleted);
    assertFalse(promptIds().contains(id));
    refused(404, "no text prompt " + id, await(server.get("/api/v1/prompts/" + id).send()));
    refused(404, "no text prompt " + id, await(server.get("/api/v1/prompts/" + id + "/versions").send()));
    refused(404, "no text prompt " + id, server.send(HttpMethod.PUT, "/api/v1/prompts/" + id, prompt("x", "s", "o")));
    refused(404, "no text prompt " + id, server.send(HttpMethod.DELETE, "/api/v1/prompts/" + id, null));
    assertEquals(201, server.send(HttpMethod.POST, "/api/v1/prompts",
      prompt("city extraction", "Again.", "")).statusCode(),
      "a deleted prompt's name is free again");
  }

  @Test
  void concurrentChangesOfOnePromptEachGetTheirOwnVersion() {
    long id = ok(server.send(HttpMethod.POST, "/api/v1/prompts", prompt("raced", "v1", ""))).getLong("id");
    var first = server.request(HttpMethod.PUT, "/api/v1/prompts/" + id)
      .sendJsonObject(new JsonObject().put("system_prompt", "first").put("output_prompt", ""));
    var second = server.request(HttpMethod.PUT, "/api/v1/prompts/" + id)
      .sendJsonObject(new JsonObject().put("system_prompt", "second").put("output_prompt", ""));
    List<Integer> versions = List.of(ok(await(first)).getInteger("version"), ok(await(second)).getInteger("version"));
    assertEquals(List.of(2, 3), versions.stream().sorted().toList());
    JsonArray stored = server.json("/api/v1/prompts/" + id + "/versions").getJsonArray("versions");
    assertEquals(List.of(3, 2, 1), stored.stream().map(v -> ((JsonObject) v).getInteger("version")).toList());
    assertEquals(List.of("first", "second"), stored.stream().limit(2).map(v -> ((JsonObject) v).getString("system_prompt"))
      .sorted().toList(), "neither change is lost");
  }

  @Test
  void badPromptRequestsAreRefusedWithTheirReason() {
    assertEquals(201, server.send(HttpMethod.POST, "/api/v1/prompts", prompt("taken", "s", "o")).statusCode());
    refused(409, "a text prompt named taken exists already", server.send(HttpMethod.POST, "/api/v1/prompts",
      prompt("taken", "other", "o")));
    long other = ok(server.send(HttpMethod.POST, "/api/v1/prompts", prompt("other", "s", "o"))).getLong("id");
    refused(409, "a text prompt named taken exists already", server.send(HttpMethod.PUT, "/api/v1/prompts/" + other,
      prompt("taken", "s", "o")));
    refused(400, "name is required", server.send(HttpMethod.POST, "/api/v1/prompts",
      new JsonObject().put("system_prompt", "s").put("output_prompt", "")));
    refused(400, "system_prompt is required", server.send(HttpMethod.POST, "/api/v1/prompts", prompt("n", " ", "o")));
    refused(400, "output_prompt is required", server.send(HttpMethod.POST, "/api/v1/prompts",
      new JsonObject().put("name", "n").put("system_prompt", "s")));
    refused(400, "system_prompt must be a string", server.send(HttpMethod.POST, "/api/v1/prompts",
      new JsonObject().put("name", "n").put("system_prompt", 3).put("output_prompt", "")));
    refused(400, "at most 20000 characters", server.send(HttpMethod.POST, "/api/v1/prompts",
      prompt("n", "s".repeat(20_001), "")));
    refused(400, "the body is not valid JSON", await(server.request(HttpMethod.POST, "/api/v1/prompts")
      .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"name\":"))));
    refused(404, "no text prompt abc", server.send(HttpMethod.PUT, "/api/v1/prompts/abc", prompt("n", "s", "o")));
  }

  // ------------------------------------------------------------------ the document, the page, redeploy

  @Test
  void everyDocumentedOperationIsAnsweredByTheServerAndNothingElseUnderV1Is() {
    JsonObject document = server.json("/api/v1/openapi.json");
    assertEquals("3.1.0", document.getString("openapi"));
    JsonObject paths = document.getJsonObject("paths");
    int operations = 0;
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if ("parameters".equals(method)) {
          continue;
        }
        operations++;
        HttpResponse<Buffer> answer = await(server.request(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)),
          path.replace("{id}", "999999")).send());
        assertFalse(answer.bodyAsString().contains("no API route"), method + " " + path + ": " + answer.bodyAsString());
        assertTrue(paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses")
          .containsKey(String.valueOf(answer.statusCode())), method + " " + path + " answered a documented status: "
          + answer.statusCode());
      }
    }
    assertEquals(15, operations);
    refused(404, "no API route GET /api/v1/experiments", await(server.get("/api/v1/experiments").send()));
  }

  @Test
  void theApiPageListsTheOperationsInOneLanguageAtATimeFromLocalFilesOnly() {
    String english = page("/api-docs?lang=en");
    assertTrue(english.contains("<html lang=\"en\">"), english);
    assertTrue(english.contains("Text-prompt API (/api/v1)"));
    assertTrue(english.contains("Store a new version of a text prompt"));
    assertFalse(english.contains("Guardar una versión nueva"));
    String spanish = page("/api-docs?lang=es");
    assertTrue(spanish.contains("<html lang=\"es\">"));
    assertTrue(spanish.contains("Guardar una versión nueva de un prompt de texto"));
    assertFalse(spanish.contains("Store a new version of a text prompt"));
    for (String operation : List.of("createDataset", "listDatasets", "showDataset", "createPrompt", "listPrompts",
      "showPrompt", "updatePrompt", "deletePrompt", "listPromptVersions", "openApiDocument")) {
      assertTrue(spanish.contains("id=\"op-" + operation + "\""), operation);
    }
    assertFalse(spanish.contains("src=\"http"), "no script or style from another site");
    assertFalse(spanish.contains("href=\"http"), "no link to another site");
  }

  @Test
  void theTextoptVerticleIsRedeployedAndKeepsItsData() {
    long id = ok(server.send(HttpMethod.POST, "/api/v1/prompts",
      prompt("kept over a redeploy", "s", "o"))).getLong("id");
    HttpResponse<Buffer> redeployed = await(server.post("/api/admin/verticles/textopt/redeploy").send());
    assertEquals(200, redeployed.statusCode(), redeployed.bodyAsString());
    assertEquals("textopt", redeployed.bodyAsJsonObject().getString("verticle"));
    assertEquals("kept over a redeploy", server.json("/api/v1/prompts/" + id).getString("name"));
  }

  // ------------------------------------------------------------------ runs

  @Test
  void withoutModelsARunIsRefusedNamingTheKeysToSet() {
    long dataset = ok(upload("no models", "n.csv", "input,expected\na,b\nc,d\n", null)).getLong("id");
    long prompt = ok(server.send(HttpMethod.POST, "/api/v1/prompts", prompt("no models", "s", ""))).getLong("id");
    refused(503, "no task model and no optimizer model are configured: set textopt.task_model and"
      + " textopt.optimizer_model", server.send(HttpMethod.POST, "/api/v1/runs",
        new JsonObject().put("dataset_id", dataset)
        .put("prompt_id", prompt).put("target_metric", "exact_match")));
    assertEquals(new JsonArray(), server.json("/api/v1/runs").getJsonArray("runs"), "nothing was queued");
  }

  // ------------------------------------------------------------------ helpers

  private static JsonObject prompt(String name, String system, String output) {
    return new JsonObject().put("name", name).put("system_prompt", system).put("output_prompt", output);
  }

  private static List<Long> promptIds() {
    return server.json("/api/v1/prompts?limit=200").getJsonArray("prompts").stream()
      .map(p -> ((JsonObject) p).getLong("id")).toList();
  }

  private static HttpResponse<Buffer> upload(String name, String filename, String content, Map<String, String> fields) {
    MultipartForm form = MultipartForm.create();
    if (name != null) {
      form.attribute("name", name);
    }
    if (fields != null) {
      fields.forEach(form::attribute);
    }
    form.binaryFileUpload("file", filename, Buffer.buffer(content), "application/octet-stream");
    return await(server.post("/api/v1/datasets").sendMultipartForm(form));
  }

  private static HttpResponse<Buffer> upload(String name, String filename, Buffer content) {
    MultipartForm form = MultipartForm.create().attribute("name", name)
      .binaryFileUpload("file", filename, content, "text/csv");
    return await(server.post("/api/v1/datasets").sendMultipartForm(form));
  }

  private static String page(String path) {
    HttpResponse<Buffer> response = await(server.get(path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    assertTrue(response.getHeader("content-type").startsWith("text/html"));
    return response.bodyAsString();
  }

  /** The project's error shape, with the status and a message that says what is wrong. */
  private static void refused(int status, String message, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertTrue(error.getString("code") != null && error.getString("message").contains(message),
      "expected \"" + message + "\" in " + response.bodyAsString());
  }
}
