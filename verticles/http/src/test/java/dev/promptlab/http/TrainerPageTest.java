package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The htmx trainer page: the static shell, the fragments, both languages, and escaping. */
class TrainerPageTest extends HttpTestBase {

  private static HttpResponse<Buffer> uploadUi(byte[] bytes, String filename, String type) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("image", filename, Buffer.buffer(bytes), type)
      .attribute("mode", "structure");
    return await(client.post("/ui/enhance").putHeader("HX-Request", "true").sendMultipartForm(form));
  }

  private static HttpResponse<Buffer> rateUi(MultiMap form) {
    return await(client.post("/ui/rate").putHeader("HX-Request", "true").sendForm(form));
  }

  private static String find(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    assertTrue(m.find(), regex + " in " + html);
    return m.group(1);
  }

  @Test
  void theShellLoadsHtmxFromThisServer() {
    HttpResponse<Buffer> index = get("/");
    assertEquals(200, index.statusCode());
    String html = index.bodyAsString();
    assertTrue(html.contains("hx-get=\"/ui/app\""));
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
    HttpResponse<Buffer> spanish = get("/ui/app");
    assertEquals(200, spanish.statusCode());
    assertTrue(spanish.bodyAsString().contains("Subir y generar"));
    assertTrue(spanish.bodyAsString().contains("lang=\"es\""));

    HttpResponse<Buffer> english = get("/ui/app?lang=en");
    assertTrue(english.bodyAsString().contains("Upload and generate"));
    String cookie = english.cookies().stream().filter(c -> c.startsWith("lang=")).findFirst().orElseThrow();
    assertTrue(cookie.startsWith("lang=en"), cookie);

    HttpResponse<Buffer> remembered = await(client.get("/ui/status").putHeader("cookie", "lang=en").send());
    assertTrue(remembered.bodyAsString().contains("Samples collected"), remembered.bodyAsString());
    HttpResponse<Buffer> fromPage = await(client.get("/ui/app").putHeader("HX-Current-URL", "http://x/?lang=en").send());
    assertTrue(fromPage.bodyAsString().contains("Upload and generate"));
    assertTrue(get("/ui/app?lang=fr").bodyAsString().contains("Subir y generar"));
  }

  @Test
  void uploadRateAndTheStatusPanelRefreshes() throws Exception {
    assertTrue(get("/ui/status").bodyAsString().contains("<strong>0</strong>"));
    HttpResponse<Buffer> experiment = uploadUi(pngWithAlpha(), "render.png", "image/png");
    assertEquals(200, experiment.statusCode(), experiment.bodyAsString());
    String html = experiment.bodyAsString();
    assertTrue(html.contains("Opción A") && html.contains("Opción B"), html);
    assertTrue(html.contains("name=\"rating_A\"") && html.contains("name=\"rating_B\""));
    assertTrue(html.contains("Escala de guía"), "parameters are shown with their names");
    assertTrue(html.contains("<span class=\"visually-hidden\">4 estrellas</span>"), "radios have accessible labels");
    String experimentId = find(html, "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    String imageA = find(html, "name=\"image_id_A\" value=\"(\\d+)\"");
    String imageB = find(html, "name=\"image_id_B\" value=\"(\\d+)\"");
    String src = find(html, "<img src=\"(/images/\\d+)\" alt=\"Variante");
    assertEquals(200, get(src).statusCode());

    HttpResponse<Buffer> rated = rateUi(MultiMap.caseInsensitiveMultiMap()
      .add("experiment_id", experimentId)
      .add("image_id_A", imageA).add("rating_A", "4").add("comments_A", "la luz <script>alert(1)</script> plana")
      .add("image_id_B", imageB).add("rating_B", "5").add("comments_B", ""));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    assertEquals("ratings-saved", rated.getHeader("HX-Trigger"));
    assertTrue(rated.bodyAsString().contains("Puntuaciones guardadas"));
    assertEquals(2, rows("ratings"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ratings WHERE comment = 'la luz <script>alert(1)</script> plana'"));

    String status = get("/ui/status?mode=structure").bodyAsString();
    assertTrue(status.contains("<strong>2</strong>"), status);
    assertTrue(status.contains("value=\"2\""), status);
    assertTrue(status.contains("v1.0.0"), status);
  }

  @Test
  void aFailedVariantIsExplainedAndItsMessageEscaped() throws Exception {
    fakes.failingApi = "stablediffusion";
    String html = uploadUi(pngWithAlpha(), "render.png", "image/png").bodyAsString();
    assertTrue(html.contains("no se pudo generar"), html);
    assertTrue(html.contains("&lt;b&gt;stablediffusion&lt;/b&gt;"), html);
    assertFalse(html.contains("<b>stablediffusion"));
    assertFalse(html.contains("name=\"rating_B\""));
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
    HttpResponse<Buffer> tooHigh = rateUi(MultiMap.caseInsensitiveMultiMap().add("experiment_id", experimentId)
      .add("image_id_A", imageA).add("rating_A", "9"));
    assertEquals(400, tooHigh.statusCode());
    assertEquals(0, rows("ratings"));
  }
}
