package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The text platform's pages through the whole server (launcher, http, the real textopt verticle, the embedded
 * PostgreSQL): datasets uploaded through the page with their refused rows explained, prompts created, versioned,
 * compared and deleted; each in Spanish and in English, one language per page, with every refusal said in the page's
 * language.
 */
@ExtendWith(BlockedThreadGuard.class)
class TextPagesOverHttpTest {

  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    server = RunningServer.startOnTestDatabase(Map.of());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  // ------------------------------------------------------------------ datasets

  @Test
  void anUploadedDatasetOpensOnItsPageWithEachRefusedRowExplainedInThePageLanguage() {
    String file = """
      {"id": "c1", "input": "France", "expected": "Paris"}
      {"id": "c2", "input": "Peru", "expected": "Lima"}
      {"id": "c3", "input": "Japan"}
      {"id": "c2", "input": "Chile", "expected": "Santiago"}
      {"id": "c5", "input": "Spain", "expected": "Madrid"}
      [1]
      """;
    HttpResponse<Buffer> uploaded = upload("es", "capitales", "capitals.jsonl", file, "0,5");
    assertEquals(303, uploaded.statusCode(), uploaded.bodyAsString());
    String location = uploaded.getHeader("location");
    assertTrue(location.matches("/text/datasets/\\d+\\?flash=dataset_uploaded"), location);

    String spanish = page(location + "&lang=es");
    assertTrue(spanish.contains("<html lang=\"es\">"));
    assertTrue(spanish.contains("Conjunto de datos guardado."), "the flash");
    assertTrue(spanish.contains("Falta expected."), spanish);
    assertTrue(spanish.contains("id c2 repetido (ya estaba en la línea 2)."));
    assertTrue(spanish.contains("La línea no es un objeto JSON."));
    assertTrue(spanish.contains("1 para entrenar · 2 para evaluar"),
      "the comma was read as the decimal point: round(3 x 0,5) rows held out");
    assertTrue(spanish.contains("0,5"), "the ratio written as Spanish writes it");
    assertFalse(spanish.contains("duplicate id"), "no English reason on a Spanish page");
    assertFalse(spanish.contains("0.5"));
    assertTrue(spanish.contains(" UTC</time>"), "the date as a reader reads it, not ISO text");

    String english = page(location.replace("?flash=dataset_uploaded", "?lang=en"));
    assertTrue(english.contains("<html lang=\"en\">"));
    assertTrue(english.contains("Duplicate id c2 (first on line 2)."));
    assertTrue(english.contains("1 to train · 2 to evaluate"));
    assertFalse(english.contains("repetido"));

    String list = page("/text/datasets?lang=es");
    assertTrue(list.contains(">capitales</a>"), list);
    assertTrue(list.contains("aria-current=\"page\">Conjuntos de datos</a>"), "the section is marked in its menu");
  }

  @Test
  void uploadsThePageCannotUseAreRefusedInThePageLanguage() {
    String good = "input,expected\na,b\nc,d\n";
    refused(400, "Ponle un nombre al conjunto de datos.", upload("es", null, "a.csv", good, null));
    refused(400, "La proporción de evaluación debe ser un número entre 0 y 1", upload("es", "x", "a.csv", good, "1"));
    refused(400, "The evaluation share must be a number between 0 and 1", upload("en", "x", "a.csv", good, "half"));
    refused(400, "Elige un archivo JSON Lines o CSV.", await(server.post("/text/datasets?lang=es").followRedirects(false)
      .sendMultipartForm(MultipartForm.create().attribute("name", "x"))));
    HttpResponse<Buffer> wholeFile = upload("es", "x", "a.csv", "input,answer\na,b\n", null);
    refused(400, "El archivo no se aceptó como conjunto de datos", wholeFile);
    assertFalse(wholeFile.bodyAsString().contains("lacks the column"), "textopt's English stays off a Spanish page");
    refused(400, "The file was not accepted as a dataset: the header row lacks the column expected",
      upload("en", "x", "a.csv", "input,answer\na,b\n", null));
    refused(404, "No se encontró lo que buscas.", await(server.get("/text/datasets/999999?lang=es").send()));
  }

  // ------------------------------------------------------------------ prompts

  @Test
  void aPromptIsCreatedEditedComparedAndDeletedThroughItsPages() {
    HttpResponse<Buffer> created = form("/text/prompts?lang=es", MultiMap.caseInsensitiveMultiMap()
      .add("name", "extracción de ciudades").add("system_prompt", "You extract city names.\r\nBe brief.")
      .add("output_prompt", ""));
    assertEquals(303, created.statusCode(), created.bodyAsString());
    String location = created.getHeader("location");
    assertTrue(location.matches("/text/prompts/\\d+\\?flash=tprompt_created"), location);
    String path = location.substring(0, location.indexOf('?'));
    long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    assertEquals("You extract city names.\nBe brief.", api("/api/v1/prompts/" + id).getString("system_prompt"),
      "a textarea's CR LF is stored as the API's callers write it");

    HttpResponse<Buffer> unchanged = form(path, MultiMap.caseInsensitiveMultiMap().add("name", "extracción de ciudades")
      .add("system_prompt", "You extract city names.\r\nBe brief.").add("output_prompt", ""));
    assertEquals(path + "?flash=tprompt_unchanged", unchanged.getHeader("location"));
    HttpResponse<Buffer> changed = form(path, MultiMap.caseInsensitiveMultiMap().add("name", "extracción de ciudades")
      .add("system_prompt", "You extract city names.\r\nAnswer with the name only.").add("output_prompt", "JSON"));
    assertEquals(path + "?flash=tprompt_saved", changed.getHeader("location"));

    String spanish = page(path + "?flash=tprompt_saved&lang=es");
    assertTrue(spanish.contains("Versión nueva guardada."));
    assertTrue(spanish.contains("id=\"version-2\" class=\"current\""), spanish);
    assertTrue(spanish.contains("id=\"version-1\""));
    assertTrue(spanish.contains("escrita a mano"));
    assertTrue(spanish.contains("<del><span class=\"visually-hidden\">quitada: </span>− Be brief.</del>"),
      "the page opens on what the newest version changed: " + spanish);
    assertTrue(spanish.contains("<ins><span class=\"visually-hidden\">añadida: </span>+ Answer with the name only.</ins>"));
    assertTrue(spanish.contains("<ins><span class=\"visually-hidden\">añadida: </span>+ JSON</ins>"));

    String backwards = page(path + "/diff?from=2&to=1&lang=en");
    assertTrue(backwards.contains("<del><span class=\"visually-hidden\">removed: </span>− Answer with the name only.</del>"),
      backwards);
    assertTrue(backwards.contains("<ins><span class=\"visually-hidden\">added: </span>+ Be brief.</ins>"));
    String same = page(path + "/diff?from=2&to=2&lang=es");
    assertTrue(same.contains("sin cambios"));
    refused(404, "Elige dos versiones de este prompt.", await(server.get(path + "/diff?from=1&to=9&lang=es").send()));
    refused(400, "Elige dos versiones de este prompt.", await(server.get(path + "/diff?from=uno&to=2&lang=es").send()));

    assertTrue(page("/text/prompts?lang=es").contains(">extracción de ciudades</a>"));
    HttpResponse<Buffer> deleted = form(path + "/delete", MultiMap.caseInsensitiveMultiMap());
    assertEquals("/text/prompts?flash=tprompt_deleted", deleted.getHeader("location"));
    String list = page("/text/prompts?flash=tprompt_deleted&lang=es");
    assertTrue(list.contains("Prompt eliminado."));
    assertFalse(list.contains("extracción de ciudades"));
    refused(404, "No se encontró lo que buscas.", await(server.get(path + "?lang=es").send()));
  }

  @Test
  void promptFormsAreRefusedInThePageLanguage() {
    MultiMap first = MultiMap.caseInsensitiveMultiMap().add("name", "ocupado").add("system_prompt", "s")
      .add("output_prompt", "");
    assertEquals(303, form("/text/prompts", first).statusCode());
    refused(409, "Ya hay un prompt con ese nombre; elige otro.", form("/text/prompts?lang=es", first));
    refused(409, "A prompt with that name exists already; choose another.", form("/text/prompts?lang=en", first));
    refused(400, "Ponle un nombre al prompt.", form("/text/prompts?lang=es", MultiMap.caseInsensitiveMultiMap()
      .add("system_prompt", "s")));
    refused(400, "El prompt de sistema no puede quedar vacío.", form("/text/prompts?lang=es",
      MultiMap.caseInsensitiveMultiMap().add("name", "n").add("system_prompt", " \r\n ")));
    refused(400, "Cada texto puede tener como mucho 20000 caracteres.", form("/text/prompts?lang=es",
      MultiMap.caseInsensitiveMultiMap().add("name", "n").add("system_prompt", "s".repeat(20_001))));
  }

  @Test
  void thePagesNeedASignedInCaller() {
    HttpResponse<Buffer> anonymous = await(server.client.get("/text/prompts").followRedirects(false).send());
    assertEquals(303, anonymous.statusCode());
    assertEquals("/login?next=%2Ftext%2Fprompts", anonymous.getHeader("location"));
    HttpResponse<Buffer> post = await(server.client.post("/text/prompts").followRedirects(false).sendForm(MultiMap.caseInsensitiveMultiMap()
      .add("name", "n").add("system_prompt", "s")));
    assertTrue(post.statusCode() == 303 || post.statusCode() == 401, post.statusCode() + " " + post.bodyAsString());
  }

  // ------------------------------------------------------------------ helpers

  private static HttpResponse<Buffer> upload(String lang, String name, String filename, String content, String ratio) {
    MultipartForm form = MultipartForm.create();
    if (name != null) {
      form.attribute("name", name);
    }
    if (ratio != null) {
      form.attribute("eval_ratio", ratio);
    }
    form.binaryFileUpload("file", filename, Buffer.buffer(content.getBytes(StandardCharsets.UTF_8)),
      "application/octet-stream");
    return await(server.post("/text/datasets?lang=" + lang).followRedirects(false).sendMultipartForm(form));
  }

  private static HttpResponse<Buffer> form(String path, MultiMap fields) {
    return await(server.request(HttpMethod.POST, path).followRedirects(false).sendForm(fields));
  }

  private static String page(String path) {
    HttpResponse<Buffer> response = await(server.get(path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    assertTrue(response.getHeader("content-type").startsWith("text/html"));
    return response.bodyAsString();
  }

  private static JsonObject api(String path) {
    HttpResponse<Buffer> response = await(server.get(path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** An error page with the status, in the language asked for, saying {@code text}. */
  private static void refused(int status, String text, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("content-type").startsWith("text/html"), response.getHeader("content-type"));
    assertTrue(response.bodyAsString().contains(text), "expected \"" + text + "\" in " + response.bodyAsString());
  }
}
