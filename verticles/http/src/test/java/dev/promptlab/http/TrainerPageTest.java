package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The htmx trainer page: the static shell, the fragments, both languages, and escaping. */
class TrainerPageTest extends HttpTestBase {

  private BrowserSession session;

  @BeforeEach
  void logIn() {
    session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
  }

  private HttpResponse<Buffer> uploadUi(byte[] bytes, String filename, String type) {
    return uploadUi(session, "/ui/enhance", bytes, filename, type);
  }

  private static HttpResponse<Buffer> uploadUi(BrowserSession as, String path, byte[] bytes, String filename,
                                               String type) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("image", filename, Buffer.buffer(bytes), type)
      .attribute("mode", "structure");
    return await(as.htmx(HttpMethod.POST, path).sendMultipartForm(form));
  }

  private HttpResponse<Buffer> rateUi(MultiMap form) {
    return await(session.htmx(HttpMethod.POST, "/ui/rate").sendForm(form));
  }

  private static String find(String html, String regex) {
    return BrowserSession.find(html, regex);
  }

  @Test
  void thePageLoadsHtmxFromThisServer() {
    HttpResponse<Buffer> index = await(session.page(HttpMethod.GET, "/").send());
    assertEquals(200, index.statusCode());
    String html = index.bodyAsString();
    assertTrue(html.contains("hx-get=\"/ui/status\""));
    String script = find(html, "<script src=\"([^\"]+)\"");
    assertFalse(script.startsWith("http"), script);
    HttpResponse<Buffer> htmx = get(script);
    assertEquals(200, htmx.statusCode());
    assertTrue(htmx.bodyAsString().contains("htmx"));
    assertEquals(200, get("/trainer.css").statusCode());
    assertTrue(index.getHeader("content-security-policy").contains("default-src 'self'"));
  }

  @Test
  void spanishByDefaultAndEnglishOnRequestRemembered() {
    HttpResponse<Buffer> spanish = await(session.page(HttpMethod.GET, "/").send());
    assertEquals(200, spanish.statusCode());
    assertTrue(spanish.bodyAsString().contains("Subir y generar"));
    assertTrue(spanish.bodyAsString().contains("<html lang=\"es\">"));

    HttpResponse<Buffer> english = await(session.page(HttpMethod.GET, "/?lang=en").send());
    assertTrue(english.bodyAsString().contains("Upload and generate"));
    assertTrue(BrowserSession.cookie(english, "lang").equals("en"));

    HttpResponse<Buffer> remembered = await(session.htmx(HttpMethod.GET, "/ui/status")
      .putHeader("cookie", "pl_session=" + session.sessionCookie + "; lang=en").send());
    assertTrue(remembered.bodyAsString().contains("Samples collected"), remembered.bodyAsString());
    HttpResponse<Buffer> fromPage = await(session.htmx(HttpMethod.GET, "/ui/status")
      .putHeader("HX-Current-URL", "http://x/?lang=en").send());
    assertTrue(fromPage.bodyAsString().contains("Samples collected"));
    assertTrue(await(session.page(HttpMethod.GET, "/?lang=fr").send()).bodyAsString().contains("Subir y generar"));
  }

  @Test
  void uploadRateAndTheStatusPanelRefreshes() throws Exception {
    assertTrue(await(session.htmx(HttpMethod.GET, "/ui/status").send()).bodyAsString().contains("<strong>0</strong>"));
    HttpResponse<Buffer> experiment = uploadUi(pngWithAlpha(), "render.png", "image/png");
    assertEquals(200, experiment.statusCode(), experiment.bodyAsString());
    String html = experiment.bodyAsString();
    assertTrue(html.contains("<legend>Variante 1</legend>") && html.contains("<legend>Variante 2</legend>"), html);
    assertFalse(html.contains("Opción A") || html.contains("Opción B"), "the labels name positions, not options");
    assertTrue(html.contains("name=\"rating_A\"") && html.contains("name=\"rating_B\""));
    assertTrue(html.contains("Modo: <strong id=\"experiment-mode\">Estructura</strong>"), html);
    assertFalse(html.contains("Escala de guía"), "a trainer rates without the parameters in view");
    assertTrue(html.contains("Aceptable: a primera vista parece una foto"), "the rubric is beside the stars");
    assertTrue(html.contains("<span class=\"visually-hidden\">4 estrellas</span>"), "radios have accessible labels");
    String experimentId = find(html, "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    String imageA = find(html, "name=\"image_id_A\" value=\"(\\d+)\"");
    String imageB = find(html, "name=\"image_id_B\" value=\"(\\d+)\"");
    String src = find(html, "<img src=\"(/images/[A-Za-z0-9_-]{22})\" alt=\"Variante");
    assertEquals(200, get(src).statusCode());

    HttpResponse<Buffer> rated = rateUi(MultiMap.caseInsensitiveMultiMap()
      .add("experiment_id", experimentId)
      .add("image_id_A", imageA).add("rating_A", "4").add("comments_A", "la luz <script>alert(1)</script> plana")
      .add("image_id_B", imageB).add("rating_B", "5").add("comments_B", ""));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    assertEquals("ratings-saved", rated.getHeader("HX-Trigger"));
    assertTrue(rated.bodyAsString().contains("Puntuaciones guardadas"));
    assertEquals(2, rows("ratings"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM ratings WHERE rated_by = '" + TRAINER_EMAIL + "'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ratings WHERE comment = 'la luz <script>alert(1)</script> plana'"));

    String status = await(session.htmx(HttpMethod.GET, "/ui/status?mode=structure").send()).bodyAsString();
    assertTrue(status.contains("<strong>2</strong>"), status);
    assertTrue(status.contains("value=\"2\""), status);
    assertTrue(status.contains("v1.0.0"), status);
    assertTrue(status.contains("Tus puntuaciones hoy: <strong>2</strong> · en total: <strong>2</strong>"), status);
    assertTrue(status.contains("dentro de 8 valoraciones más (cuentan las de ambos modos"),
      "the evolution counter counts both modes and says so: " + status);
    assertTrue(status.contains("5,00 / 5") && !status.contains("5.00"), "Spanish decimals on a Spanish page: " + status);
    String english = await(session.htmx(HttpMethod.GET, "/ui/status?mode=structure")
      .putHeader("HX-Current-URL", "http://x/?lang=en").send()).bodyAsString();
    assertTrue(english.contains("in 8 more ratings (ratings of both modes count") && english.contains("5.00 / 5")
      && !english.contains("5,00") && !english.contains("valoraciones"), "one language per page: " + english);
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    String adminStatus = await(admin.htmx(HttpMethod.GET, "/ui/status?mode=structure").send()).bodyAsString();
    assertTrue(adminStatus.contains("Tus puntuaciones hoy: <strong>0</strong>") && adminStatus.contains("equipo hoy: 2"),
      "one's own progress beside the team's: " + adminStatus);
  }

  @Test
  void anAdminSeesTheParametersOfEachVariant() throws Exception {
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    String html = uploadUi(admin, "/ui/enhance", pngWithAlpha(), "render.png", "image/png").bodyAsString();
    assertTrue(html.contains("Escala de guía"), html);
    assertTrue(html.matches("(?s).*<dd>[0-9]+,[0-9]+</dd>.*"), "decimals with a comma on a Spanish page: " + html);
  }

  @Test
  void aFailedVariantIsExplainedAndItsMessageEscaped() throws Exception {
    fakes.failingApi = "stablediffusion";
    String html = uploadUi(session, "/ui/enhance?lang=en", pngWithAlpha(), "render.png", "image/png").bodyAsString();
    assertTrue(html.contains("could not be generated"), html);
    assertTrue(html.contains("&lt;b&gt;stablediffusion&lt;/b&gt;"), html);
    assertFalse(html.contains("<b>stablediffusion"));
    assertFalse(html.contains("name=\"rating_B\""));

    String spanish = uploadUi(session, "/ui/enhance?lang=es", pngWithAlpha(), "render.png", "image/png").bodyAsString();
    assertTrue(spanish.contains("no se pudo generar"), spanish);
    assertFalse(spanish.contains("stablediffusion</b>") || spanish.contains("&lt;b&gt;"),
      "the provider's English error stays off a Spanish page: " + spanish);
  }

  @Test
  void theChosenModeIsRememberedForTheTrainer() {
    assertTrue(await(session.page(HttpMethod.GET, "/").send()).bodyAsString()
      .contains("<option value=\"structure\" selected>"), "structure until the trainer chooses");
    HttpResponse<Buffer> chosen = await(session.htmx(HttpMethod.POST, "/ui/mode")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("mode", "surfaces")));
    assertEquals(204, chosen.statusCode(), chosen.bodyAsString());
    String page = await(session.page(HttpMethod.GET, "/").send()).bodyAsString();
    assertTrue(page.contains("<option value=\"surfaces\" selected>"), page);
    BrowserSession elsewhere = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    assertTrue(await(elsewhere.page(HttpMethod.GET, "/").send()).bodyAsString()
      .contains("<option value=\"surfaces\" selected>"), "the mode belongs to the trainer, not the browser");
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    assertTrue(await(admin.page(HttpMethod.GET, "/").send()).bodyAsString()
      .contains("<option value=\"structure\" selected>"), "each trainer has their own");

    HttpResponse<Buffer> unknown = await(session.htmx(HttpMethod.POST, "/ui/mode")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("mode", "walls")));
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.bodyAsString().contains("El modo debe ser Estructura o Superficies"), unknown.bodyAsString());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM trainers WHERE training_mode = 'surfaces'"));
  }

  @Test
  void anUnknownPageAnswersInThePageLanguage() {
    HttpResponse<Buffer> spanish = await(session.page(HttpMethod.GET, "/no-such-page").send());
    assertEquals(404, spanish.statusCode());
    assertTrue(spanish.getHeader("content-type").startsWith("text/html"));
    assertTrue(spanish.bodyAsString().contains("<h1>Página no encontrada</h1>"), spanish.bodyAsString());
    HttpResponse<Buffer> english = get("/no-such-page?lang=en");
    assertEquals(404, english.statusCode());
    assertTrue(english.bodyAsString().contains("<h1>Page not found</h1>"), english.bodyAsString());
    assertEquals(404, get("/api/no-such-route").statusCode());
    assertTrue(get("/api/no-such-route").getHeader("content-type").startsWith("application/json"));
  }

  @Test
  void aFailedVariantIsRetriedFromThePage() throws Exception {
    fakes.failingApi = "stablediffusion";
    String html = uploadUi(pngWithAlpha(), "render.png", "image/png").bodyAsString();
    String experimentId = find(html, "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    assertTrue(html.contains("hx-post=\"/ui/retry\""), html);
    fakes.failingApi = null;
    HttpResponse<Buffer> retried = await(session.htmx(HttpMethod.POST, "/ui/retry")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("experiment_id", experimentId).add("option", "B")));
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
    assertTrue(retried.bodyAsString().contains("id=\"variant-B\""));
    assertTrue(retried.bodyAsString().contains("name=\"rating_B\""), "the retried variant can be rated");
  }

  @Test
  void errorsBecomeAMessageAboveTheForms() throws Exception {
    HttpResponse<Buffer> notImage = uploadUi("hello".getBytes(StandardCharsets.UTF_8), "notes.png", "image/png");
    assertEquals(415, notImage.statusCode());
    assertEquals("#messages", notImage.getHeader("HX-Retarget"));
    assertTrue(notImage.getHeader("content-type").startsWith("text/html"));
    assertTrue(notImage.bodyAsString().contains("no es una imagen PNG o JPEG"), notImage.bodyAsString());

    String html = uploadUi(pngWithAlpha(), "render.png", "image/png").bodyAsString();
    String experimentId = find(html, "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    String imageA = find(html, "name=\"image_id_A\" value=\"(\\d+)\"");
    HttpResponse<Buffer> missing = rateUi(MultiMap.caseInsensitiveMultiMap().add("experiment_id", experimentId)
      .add("image_id_A", imageA));
    assertEquals(400, missing.statusCode());
    assertTrue(missing.bodyAsString().contains("Revisa los datos"), missing.bodyAsString());
    assertTrue(missing.bodyAsString().contains("Falta puntuar una variante"), missing.bodyAsString());
    assertFalse(missing.bodyAsString().contains("rating"), "no English on a Spanish page: " + missing.bodyAsString());
    HttpResponse<Buffer> tooHigh = rateUi(MultiMap.caseInsensitiveMultiMap().add("experiment_id", experimentId)
      .add("image_id_A", imageA).add("rating_A", "9"));
    assertEquals(400, tooHigh.statusCode());
    assertEquals(0, rows("ratings"));
  }
}
