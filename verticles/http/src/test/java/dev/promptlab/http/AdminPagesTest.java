package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin pages and their JSON twins, over real HTTP with the neighbours' fake answers. */
class AdminPagesTest extends HttpTestBase {

  private BrowserSession admin;

  @BeforeEach
  void logIn() {
    admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
  }

  private HttpResponse<Buffer> post(String path, MultiMap form) {
    return await(admin.htmx(HttpMethod.POST, path).sendForm(form));
  }

  @Test
  void overviewShowsStudiesEvolutionAndVerticles() {
    HttpResponse<Buffer> page = await(admin.page(HttpMethod.GET, "/admin").send());
    assertEquals(200, page.statusCode(), page.bodyAsString());
    String html = page.bodyAsString();
    assertTrue(html.contains("Terminar la fase 1 · Superficies"), html);
    assertTrue(html.contains("hx-confirm=\"¿Terminar ya la fase 1 de Superficies?"), "the confirmation names the study");
    assertTrue(html.contains("/admin/verticles/optimizer/redeploy"));
    assertTrue(html.contains("hx-confirm=\"¿Redesplegar el verticle optimizador?\""), html);
    assertTrue(html.contains("v1.0.0"));
    assertTrue(html.contains("id=\"running-ab\"") && html.contains("<strong>v1.0.1</strong> frente a"), "the running A/B test");
    assertTrue(html.contains("<strong id=\"team-today\">0</strong>"), "today's rating activity");
    assertFalse(html.contains(">optimizer<") || html.contains(">evolution<"), "no English names: " + html);

    assertEquals("/admin?flash=phase1", post("/admin/phase1", form("mode", "surfaces")).getHeader("HX-Redirect"));
    assertEquals("/admin?flash=redeployed", post("/admin/verticles/optimizer/redeploy", form())
      .getHeader("HX-Redirect"));
    assertEquals(List.of("phase1 surfaces true"), fakes.adminActions);
    assertTrue(await(admin.page(HttpMethod.GET, "/admin?flash=phase1").send()).bodyAsString()
      .contains("Fase 1 terminada."));
    assertEquals("/admin?flash=phase1_reopened", post("/admin/phase1", form("mode", "surfaces", "complete", "false"))
      .getHeader("HX-Redirect"));
    assertEquals("phase1 surfaces false", fakes.adminActions.get(fakes.adminActions.size() - 1));
    assertTrue(await(admin.page(HttpMethod.GET, "/admin?flash=phase1_reopened").send()).bodyAsString()
      .contains("Fase 1 reabierta."));
  }

  @Test
  void aCompletedPhaseOneCanBeReopenedFromThePage() {
    post("/admin/phase1", form("mode", "structure"));
    String html = await(admin.page(HttpMethod.GET, "/admin").send()).bodyAsString();
    assertTrue(html.contains("id=\"phase1-reopen-structure\""), html);
    assertTrue(html.contains("completada (a mano)"), "the reason in Spanish: " + html);
    assertTrue(html.contains("¿Reabrir la fase 1 de Estructura?"), html);
  }

  @Test
  void weakPasswordsAndInvisibleCharactersAreRefusedInThePagesLanguageAndAsJson() {
    for (String password : new String[] {"aaaaaaaaaa", "1234567890", "password12"}) {
      HttpResponse<Buffer> api = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers")
        .sendJsonObject(new JsonObject().put("email", "weak@example.com").put("password", password)));
      assertEquals(400, api.statusCode(), password);
      assertEquals("invalid_request", api.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    HttpResponse<Buffer> spanish = post("/admin/trainers", form("email", "weak@example.com", "password", "password12"));
    assertEquals(400, spanish.statusCode());
    assertTrue(spanish.bodyAsString().contains("Esta contraseña es una de las más comunes"), spanish.bodyAsString());
    HttpResponse<Buffer> english = await(admin.htmx(HttpMethod.POST, "/admin/trainers?lang=en")
      .sendForm(form("email", "weak@example.com", "password", "aaaaaaaaaa")));
    assertTrue(english.bodyAsString().contains("mostly one character"), english.bodyAsString());
    HttpResponse<Buffer> invisible = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers")
      .sendJsonObject(new JsonObject().put("email", "we\u200bak@example.com").put("password", "correct horse battery")));
    assertEquals(400, invisible.statusCode());
    assertTrue(invisible.bodyAsJsonObject().getJsonObject("error").getString("message").contains("invisible"));
    HttpResponse<Buffer> fullWidth = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers")
      .sendJsonObject(new JsonObject().put("email", "\uFF37eak@Example.com").put("password", "correct horse battery")));
    assertEquals(200, fullWidth.statusCode(), fullWidth.bodyAsString());
    assertEquals("weak@example.com", fullWidth.bodyAsJsonObject().getString("email"));
    assertEquals(3, rows("trainers"));
  }

  @Test
  void theRewardPageShowsModelsCalibrationAndRetrainsInThePagesLanguage() {
    String html = await(admin.page(HttpMethod.GET, "/admin/reward").send()).bodyAsString();
    assertTrue(html.contains("id=\"model-2\"") && html.contains("id=\"model-1\""), html);
    assertTrue(html.contains("0,500 (referencia 0,800)"), "decimals with a comma: " + html);
    assertTrue(html.contains("84,0&nbsp;% (25 pares)"), html);
    assertTrue(html.contains("Se usa: mejora a la media y al azar"), html);
    assertTrue(html.contains("No mejora a la media: error medio 0,731, necesita como mucho 0,720"), html);
    assertTrue(html.contains("id=\"chart-calibration\"") && html.contains("3,72 → 3,89 (n=9)"),
      "the calibration of the model in use: " + html);
    assertTrue(html.contains("Reuniendo datos") || html.contains("recogiendo datos"), "phase 2 is not active yet");
    assertTrue(html.contains("aria-current=\"page\">Modelo de recompensa</a>"), "the section is marked in the menu");
    assertFalse(html.contains("not better than") || html.contains(">active<") || html.contains("collecting"),
      "no English on a Spanish page: " + html);

    String english = await(admin.page(HttpMethod.GET, "/admin/reward?lang=en").send()).bodyAsString();
    assertTrue(english.contains("0.500 (baseline 0.800)") && english.contains("Not better than the mean"), english);

    HttpResponse<Buffer> retrained = post("/admin/reward/retrain", form());
    assertEquals("/admin/reward?flash=retrained", retrained.getHeader("HX-Redirect"), retrained.bodyAsString());
    assertEquals(List.of("retrain by " + ADMIN_EMAIL), fakes.adminActions);
    assertTrue(await(admin.page(HttpMethod.GET, "/admin/reward?flash=retrained").send()).bodyAsString()
      .contains("Modelo entrenado."));
  }

  @Test
  void theRewardPageIsForAdminsOnly() {
    BrowserSession trainer = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    assertEquals(403, await(trainer.page(HttpMethod.GET, "/admin/reward").send()).statusCode());
    assertEquals(403, await(trainer.htmx(HttpMethod.POST, "/admin/reward/retrain").sendForm(form())).statusCode());
    assertTrue(fakes.adminActions.isEmpty(), "a trainer's retrain reaches nothing");
  }

  @Test
  void trainersAreAddedAndDisabled() {
    HttpResponse<Buffer> weak = post("/admin/trainers", form("email", "new@example.com", "password", "short"));
    assertEquals(400, weak.statusCode());
    assertEquals(2, rows("trainers"));
    HttpResponse<Buffer> added = post("/admin/trainers", form("email", "New@Example.com", "display_name", "Nueva",
      "password", "a long enough password"));
    assertEquals("/admin/trainers?flash=trainer_added", added.getHeader("HX-Redirect"), added.bodyAsString());
    assertEquals(409, post("/admin/trainers", form("email", "new@example.com", "password", "another long password"))
      .statusCode());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM trainers WHERE email = 'new@example.com'"
      + " AND created_by = '" + ADMIN_EMAIL + "' AND password_hash LIKE 'pbkdf2-sha256$%'"));
    assertEquals(303, BrowserSession.submitLogin(client, "new@example.com", "a long enough password").statusCode());

    String list = await(admin.page(HttpMethod.GET, "/admin/trainers").send()).bodyAsString();
    assertTrue(list.contains("new@example.com") && list.contains("value=\"Nueva\""), list);
    long id = TestDatabase.count("SELECT id FROM trainers WHERE email = 'new@example.com'");
    assertTrue(list.contains("¿Desactivar la cuenta de new@example.com?"), "the confirmation names the account");
    assertEquals("/admin/trainers?flash=trainer_renamed", post("/admin/trainers/" + id + "/name",
      form("display_name", "  Nueva Entrenadora ")).getHeader("HX-Redirect"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM trainers WHERE display_name = 'Nueva Entrenadora'"));
    HttpResponse<Buffer> tooLong = post("/admin/trainers/" + id + "/name", form("display_name", "x".repeat(201)));
    assertEquals(400, tooLong.statusCode());
    assertTrue(tooLong.bodyAsString().contains("como máximo 200 caracteres"), tooLong.bodyAsString());
    assertEquals(404, post("/admin/trainers/999999/name", form("display_name", "x")).statusCode());
    assertEquals("/admin/trainers?flash=trainer_disabled", post("/admin/trainers/" + id + "/disable", form())
      .getHeader("HX-Redirect"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM sessions s JOIN trainers t ON t.id = s.trainer_id"
      + " WHERE t.email = 'new@example.com'"), "disabling ends the sessions");
    assertEquals(401, BrowserSession.submitLogin(client, "new@example.com", "a long enough password").statusCode());
    assertEquals(404, post("/admin/trainers/999999/disable", form()).statusCode());

    JsonObject api = await(as(ADMIN_TOKEN, HttpMethod.GET, "/api/admin/trainers").send()).bodyAsJsonObject();
    assertEquals(3, api.getJsonArray("trainers").size());
    assertTrue(api.getJsonArray("trainers").stream().map(o -> (JsonObject) o)
      .anyMatch(t -> t.getString("email").equals(ADMIN_EMAIL) && t.getBoolean("admin")));
    assertFalse(api.encode().contains("pbkdf2"), "hashes never leave the server");
  }

  @Test
  void promptVersionsDiffPromoteAndRollBack() {
    String html = await(admin.page(HttpMethod.GET, "/admin/prompts").send()).bodyAsString();
    assertTrue(html.contains("v1.0.1") && html.contains("3,90"), "decimals with a comma: " + html);
    assertTrue(html.contains("id=\"promote-v1.0.1\""));
    assertTrue(html.contains("¿Hacer v1.0.1 la versión actual en lugar de v1.0.0?"), "the confirmation names both");
    assertFalse(html.contains("id=\"promote-v1.0.0\""), "the current version has no promote button");
    assertFalse(html.contains("id=\"rollback\""), "the first version has nothing to go back to");
    assertTrue(html.contains("en marcha"), "A/B tests are listed");
    // The why: figures of the decision and the comment issues with examples, in Spanish.
    assertTrue(html.contains("+0,60") && html.contains("0,97") && html.contains("margen exigido 0,20"), html);
    assertTrue(html.contains("La candidata supera el margen con suficiente probabilidad"), html);
    assertTrue(html.contains("luz o sombras poco realistas") && html.contains("<q>la luz es &lt;plana&gt;</q>"), html);
    assertTrue(html.contains("<li>added &#39;volumetric lighting&#39; to the prompt</li>")
      || html.contains("<li>added 'volumetric lighting' to the prompt</li>"), html);
    assertFalse(html.contains("every 10 samples") || html.contains("candidate ahead by"), "no English reasons: " + html);
    assertTrue(html.contains("periódica (cada 10 muestras)") && html.contains("completada"), html);
    assertTrue(html.contains("<select id=\"diff-from\" name=\"from\"><option value=\"v1.0.0\" selected>"), html);
    assertTrue(html.contains("<select id=\"diff-to\" name=\"to\"><option value=\"v1.0.0\">v1.0.0</option>"
      + "<option value=\"v1.0.1\" selected>"), "the diff opens on what the candidate changes: " + html);

    String diff = await(admin.htmx(HttpMethod.GET, "/admin/prompts/diff?from=v1.0.0&to=v1.0.1").send()).bodyAsString();
    assertTrue(diff.contains("<ins lang=\"en\">+ volumetric &lt;lighting&gt;</ins>"), diff);
    assertTrue(diff.contains("<del lang=\"en\">− 8k</del>"), diff);
    assertTrue(diff.contains("Escala de guía: 7 → 7,5") && diff.contains("versión padre"), diff);
    String text = await(admin.htmx(HttpMethod.GET, "/admin/prompts/text?version=v1.0.1").send()).bodyAsString();
    assertTrue(text.contains("<p class=\"prompt\" lang=\"en\">photorealistic interior, sd</p>"), text);
    assertEquals(400, await(admin.htmx(HttpMethod.GET, "/admin/prompts/text?version=../x").send()).statusCode());
    assertEquals(400, await(admin.htmx(HttpMethod.GET, "/admin/prompts/diff?from=../x&to=v1.0.1").send()).statusCode());

    assertEquals("/admin/prompts?flash=promoted", post("/admin/prompts/promote", form("version", "v1.0.1"))
      .getHeader("HX-Redirect"));
    assertEquals("v1.0.1", fakes.currentVersion);
    String promoted = await(admin.page(HttpMethod.GET, "/admin/prompts").send()).bodyAsString();
    assertTrue(promoted.contains("Volver a v1.0.0") && promoted.contains("¿Volver a v1.0.0? Dejará de ser actual v1.0.1."),
      "the rollback names its target: " + promoted);
    assertEquals(400, post("/admin/prompts/promote", form("version", "v1.0.1/../../x")).statusCode());
    assertEquals("/admin/prompts?flash=rolled_back", post("/admin/prompts/rollback", form()).getHeader("HX-Redirect"));
    assertEquals(List.of("promote v1.0.1 by " + ADMIN_EMAIL, "rollback by " + ADMIN_EMAIL), fakes.adminActions);

    HttpResponse<Buffer> evolve = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/train/evolve").send());
    assertEquals(200, evolve.statusCode());
    assertEquals("v1.0.1", evolve.bodyAsJsonObject().getString("candidate_version"));
    HttpResponse<Buffer> promoteApi = await(as(ADMIN_ACCOUNT_TOKEN, HttpMethod.POST, "/api/admin/prompts/v1.0.1/promote")
      .sendJsonObject(new JsonObject().put("reason", "clearly better")));
    assertEquals("v1.0.1", promoteApi.bodyAsJsonObject().getString("current_version"));
  }

  private static MultiMap form(String... pairs) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1]);
    }
    return form;
  }
}
