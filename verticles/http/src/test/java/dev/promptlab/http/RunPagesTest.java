package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunBest;
import dev.promptlab.contract.TextRunCandidate;
import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.contract.TextRunIteration;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextRunSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run pages over real HTTP, with a signed-in member's browser session: the list and its form, a run page whose
 * live part is polled until the run ends, cancel and promote, in Spanish and in English, and every refusal in the
 * page's language. The textopt run addresses are answered by {@link FakeTextRuns} in the contract's records.
 */
class RunPagesTest extends HttpTestBase {

  private static FakeTextRuns textopt;
  private BrowserSession member;

  @BeforeAll
  static void answerTheRunAddresses() {
    textopt = new FakeTextRuns(vertx);
    await(textopt.start());
  }

  @AfterAll
  static void stopAnswering() {
    await(textopt.stop());
  }

  @BeforeEach
  void logIn() {
    textopt.reset();
    member = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
  }

  @Test
  void aRunIsStartedFromTheFormWithTheNumbersAsThePageWritesThem() {
    String page = page("/text/runs?lang=es");
    assertTrue(page.contains("<option value=\"7\">capitales</option>"), page);
    assertTrue(page.contains("<option value=\"4\">extracción</option>"));
    assertTrue(page.contains("<option value=\"exact_match\">Coincidencia exacta</option>"));
    assertTrue(page.contains("value=\"0,90\""), "the default threshold as Spanish writes it");
    assertTrue(page.contains("Todavía no hay optimizaciones."));

    HttpResponse<Buffer> started = post("/text/runs", form("dataset_id", "7", "prompt_id", "4",
      "target_metric", "exact_match", "target_threshold", "0,95", "patience", "2", "max_iterations", "5",
      "candidates_per_iteration", "3", "budget_usd", "1,5"));
    assertEquals("/text/runs/1?flash=run_started", started.getHeader("HX-Redirect"), started.bodyAsString());
    TextRunSettings asked = textopt.requests.get(0).settings();
    assertEquals(0.95, asked.targetThreshold());
    assertEquals(1.5, asked.budgetUsd());
    assertEquals(2, asked.patience());
    assertEquals(TRAINER_EMAIL, textopt.requests.get(0).requestedBy());

    String list = page("/text/runs?lang=es");
    assertTrue(list.contains("<a href=\"/text/runs/1\">Optimización 1</a>"), list);
    assertTrue(list.contains(">en cola<"));
  }

  @Test
  void aRunningRunIsPolledAndItsFinishedPageStopsPollingAndOffersItsBestVersion() {
    textopt.runs.put(1L, running());
    String page = page("/text/runs/1?lang=es");
    assertTrue(page.contains("hx-get=\"/text/runs/1/live\" hx-trigger=\"every 2s\""), page);
    assertTrue(page.contains("<progress id=\"run-progress\" max=\"100\" value=\"25\">"), "5 of 20 answers");
    assertTrue(page.contains("El prompt vigente responde las filas: 5 de 20"));
    assertTrue(page.contains("id=\"run-cancel\""));
    assertTrue(page.contains("<a href=\"/text/datasets/7\">capitales</a>"), "the dataset by its name");

    textopt.runs.put(1L, finished());
    String live = fragment("/text/runs/1/live?lang=es");
    assertFalse(live.contains("hx-trigger"), "an ended run is not polled any more: " + live);
    assertFalse(live.contains("<progress"));
    assertFalse(live.contains("id=\"run-cancel\""));
    assertTrue(live.contains("<strong>objetivo alcanzado</strong>: la métrica alcanzó el umbral objetivo."), live);
    assertTrue(live.contains("Versión 3: Coincidencia exacta 0,950"));
    assertTrue(live.contains("<circle class=\"dot metric\""), "the metric per iteration is drawn");
    assertTrue(live.contains("<polyline class=\"reference\""), "with the threshold across");
    assertTrue(live.contains("Candidatos de la iteración 1"));
    assertTrue(live.contains("<span class=\"badge\">aceptado</span>"));
    assertTrue(live.contains("sin evaluar (ya ganó otro)"));
    assertTrue(live.contains("+0,150"), "the predicted gain");
    assertTrue(live.contains("Fallos que motivaron la reescritura (1)"));
    assertTrue(live.contains("<dd class=\"prompt\">Lima, Peru</dd>"), "what the model answered, as it answered");
    assertTrue(live.contains("Hacer vigente la versión 3"));
    assertFalse(live.contains("0.950"), "no decimal point on a Spanish page");

    String english = page("/text/runs/1?lang=en");
    assertTrue(english.contains("<strong>target reached</strong>: the metric reached the target threshold."));
    assertTrue(english.contains("Version 3: Exact match 0.950"));

    HttpResponse<Buffer> promoted = post("/text/runs/1/promote", form());
    assertEquals("/text/runs/1?flash=run_promoted", promoted.getHeader("HX-Redirect"), promoted.bodyAsString());
    String after = page("/text/runs/1?flash=run_promoted&lang=es");
    assertTrue(after.contains("La mejor versión es ahora la vigente del prompt."));
    assertFalse(after.contains("id=\"run-promote\""), "the best version is current: nothing to promote");
    assertTrue(after.contains("0,950 <span class=\"badge\">actual</span>"), after);
  }

  @Test
  void aRunJudgedByAModelTakesItsRubricAndScaleFromTheFormAndShowsTheJudgesReason() {
    String page = page("/text/runs?lang=es");
    assertTrue(page.contains("<option value=\"llm_judge\">Valorado por un modelo según una rúbrica</option>"), page);
    assertTrue(page.contains("<label for=\"run-rubric\">Rúbrica"));

    post("/text/runs", form("dataset_id", "7", "prompt_id", "4", "target_metric", "llm_judge",
      "rubric", "5: the capital alone; 1: anything else", "scale_lowest", "1", "scale_highest", "10"));
    TextRunSettings asked = textopt.requests.get(textopt.requests.size() - 1).settings();
    assertEquals("5: the capital alone; 1: anything else", asked.metricOptions().getString("rubric"));
    assertEquals(new JsonArray().add(1).add(10), asked.metricOptions().getJsonArray("scale"));
    post("/text/runs", form("dataset_id", "7", "prompt_id", "4", "target_metric", "llm_judge", "rubric", "graded"));
    asked = textopt.requests.get(textopt.requests.size() - 1).settings();
    assertFalse(asked.metricOptions().containsKey("scale"), "no scale given: the judge's default applies");

    refused(400, "escribe la rúbrica con la que debe puntuar", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "llm_judge")));
    refused(400, "Indica los dos extremos de la escala", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "llm_judge", "rubric", "graded",
        "scale_highest", "10")));
    refused(400, "Indica los dos extremos de la escala", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "llm_judge", "rubric", "graded",
        "scale_lowest", "uno", "scale_highest", "10")));

    TextRunSettings judged = new TextRunSettings(FakeTextRuns.DATASET_ID, FakeTextRuns.PROMPT_ID, "llm_judge",
      new JsonObject().put("rubric", "graded"), 0.9, 3, 10, 2, 2.0, 0.01);
    TextRunIteration first = new TextRunIteration(1, 1, new JsonObject().put("llm_judge", 0.5), 0.01, 1200, List.of(),
      List.of(new TextRunFailure("c2", "Where is Lima?", "Peru", "Lima, Peru", 0.25, "names the city, not the country")));
    textopt.runs.put(9L, new TextRun(9, TextRun.STOPPED, "max_iterations", judged, 0.01, 1200,
      new TextRunProgress("finished", 0, 0), List.of(first), null, null, TRAINER_EMAIL, FakeTextRuns.CREATED_AT,
      "2026-12-07T09:40:00Z"));
    String live = fragment("/text/runs/9/live?lang=es");
    assertTrue(live.contains("<dt>Motivo del juez</dt><dd class=\"prompt\">names the city, not the country</dd>"), live);
  }

  @Test
  void aRunningRunIsCancelledAndAnEndedOneSaysSoInThePageLanguage() {
    textopt.runs.put(1L, running());
    assertEquals("/text/runs/1?flash=run_cancelled", post("/text/runs/1/cancel", form()).getHeader("HX-Redirect"));
    assertTrue(page("/text/runs/1?lang=es").contains("<strong>cancelada</strong>: alguien la canceló."));
    refused(409, "Esta optimización ya terminó.", post("/text/runs/1/cancel?lang=es", form()));
    refused(409, "This run has ended already.", post("/text/runs/1/cancel?lang=en", form()));
  }

  @Test
  void runRequestsThePageCannotUseAreRefusedInThePageLanguage() {
    MultiMap good = form("dataset_id", "7", "prompt_id", "4", "target_metric", "exact_match");
    refused(400, "El umbral debe ser un número de 0 a 1", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "exact_match", "target_threshold", "mucho")));
    refused(400, "Revisa la configuración", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "exact_match", "target_threshold", "1,5")));
    refused(400, "La paciencia, las iteraciones y los candidatos deben ser números enteros.", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "exact_match", "patience", "2,5")));
    refused(400, "Para esta métrica escribe un esquema JSON válido", post("/text/runs?lang=es",
      form("dataset_id", "7", "prompt_id", "4", "target_metric", "json_schema", "json_schema", "{not json")));
    refused(400, "Elige un conjunto de datos.", post("/text/runs?lang=es", form("prompt_id", "4")));
    textopt.noModel = true;
    HttpResponse<Buffer> noModel = post("/text/runs?lang=es", good);
    refused(503, "No hay ningún modelo configurado para las optimizaciones", noModel);
    assertFalse(noModel.bodyAsString().contains("textopt.task_model"), "the verticle's English stays off the page");
    refused(404, "No se encontró lo que buscas.", await(member.page(HttpMethod.GET, "/text/runs/99?lang=es").send()));
    textopt.noModel = false;
    post("/text/runs", good);
    refused(409, "Esta optimización todavía no tiene una versión mejor", post("/text/runs/1/promote?lang=es", form()));
  }

  // ------------------------------------------------------------------ runs in the contract's records

  private static TextRunSettings settings() {
    return new TextRunSettings(FakeTextRuns.DATASET_ID, FakeTextRuns.PROMPT_ID, "exact_match", null, 0.9, 3, 10, 2,
      2.0, 0.01);
  }

  private static TextRun running() {
    return new TextRun(1, TextRun.RUNNING, null, settings(), 0.0123, 1500, new TextRunProgress("inference", 5, 20),
      List.of(), null, null, TRAINER_EMAIL, FakeTextRuns.CREATED_AT, null);
  }

  private static TextRun finished() {
    TextRunIteration first = new TextRunIteration(1, 1, new JsonObject().put("exact_match", 0.6), 0.01, 1200,
      List.of(new TextRunCandidate(3, new JsonObject().put("exact_match", 0.95), 0.15, true, true),
        new TextRunCandidate(2, null, 0.05, false, false)),
      List.of(new TextRunFailure("c2", "Where is Lima?", "Peru", "Lima, Peru", 0.0)));
    TextRunIteration second = new TextRunIteration(2, 3, new JsonObject().put("exact_match", 0.95), 0.002, 300,
      List.of(), List.of());
    return new TextRun(1, TextRun.SUCCEEDED, "threshold", settings(), 0.012, 1500,
      new TextRunProgress("finished", 0, 0), List.of(first, second), new TextRunBest(3,
      new JsonObject().put("exact_match", 0.95)), null, TRAINER_EMAIL, FakeTextRuns.CREATED_AT, "2026-12-07T09:40:00Z");
  }

  // ------------------------------------------------------------------ helpers

  private String page(String path) {
    HttpResponse<Buffer> response = await(member.page(HttpMethod.GET, path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsString();
  }

  private String fragment(String path) {
    HttpResponse<Buffer> response = await(member.htmx(HttpMethod.GET, path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsString();
  }

  private HttpResponse<Buffer> post(String path, MultiMap form) {
    return await(member.htmx(HttpMethod.POST, path).sendForm(form));
  }

  private static void refused(int status, String text, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.bodyAsString().contains(text), "expected \"" + text + "\" in " + response.bodyAsString());
  }

  private static MultiMap form(String... pairs) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1]);
    }
    return form;
  }
}
