package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import org.junit.jupiter.api.Test;

/**
 * An upload whose two variants both fail: the 502 names the stored experiment and its failed options, so the
 * API client and the trainer page can retry each variant.
 */
class BothVariantsFailedTest extends HttpTestBase {

  @Test
  void theBadGatewayCarriesTheExperimentAndEachOptionsErrorSoTheyCanBeRetried() throws Exception {
    fakes.failingApi = "*";
    HttpResponse<Buffer> response = upload(pngWithAlpha(), "r.png", "image/png", "structure");
    assertEquals(502, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals("provider_failed", error.getString("code"));
    assertTrue(error.getString("message").startsWith("no variant could be generated"), error.encode());
    JsonObject details = error.getJsonObject("details");
    String id = details.getString("experiment_id");
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiments WHERE id = '" + id + "'"));
    assertEquals("structure", details.getString("mode"));
    assertTrue(details.getString("original_url").startsWith("/images/"), details.encode());
    JsonArray options = details.getJsonArray("options");
    assertEquals(2, options.size());
    for (int i = 0; i < 2; i++) {
      JsonObject option = options.getJsonObject(i);
      assertEquals(i == 0 ? "A" : "B", option.getString("option"));
      assertEquals("failed", option.getString("status"));
      assertNull(option.getValue("url"));
      assertEquals("provider_failed", option.getJsonObject("error").getString("code"));
      assertTrue(option.getJsonObject("error").getString("message").contains("answered 500"), option.encode());
      assertEquals(FakeNeighbours.PROMPT_VERSION, option.getString("prompt_version"));
    }

    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE experiment_id = '" + id
      + "' AND api = 'leonardo' AND abs(guidance_scale - 6.56) < 1e-9"), "a failed option keeps the suggested point");

    fakes.failingApi = null;
    for (String option : new String[] {"A", "B"}) {
      HttpResponse<Buffer> retried = await(trainer(HttpMethod.POST,
        "/api/train/experiments/" + id + "/options/" + option + "/retry").send());
      assertEquals(200, retried.statusCode(), retried.bodyAsString());
      assertEquals("ready", retried.bodyAsJsonObject().getString("status"));
    }
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE experiment_id = '" + id
      + "' AND status = 'ready'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE experiment_id = '" + id
      + "' AND api = 'leonardo' AND guidance_scale = 7"), "the retried option is recorded as Leonardo rendered it");
  }

  @Test
  void theTrainerPageShowsTheExperimentWithARetryButtonPerVariant() throws Exception {
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    fakes.failingApi = "*";
    MultipartForm form = MultipartForm.create()
      .binaryFileUpload("image", "render.png", Buffer.buffer(pngWithAlpha()), "image/png").attribute("mode", "structure");
    HttpResponse<Buffer> response = await(session.htmx(HttpMethod.POST, "/ui/enhance").sendMultipartForm(form));
    assertEquals(502, response.statusCode(), response.bodyAsString());
    assertNull(response.getHeader("HX-Retarget"), "the experiment replaces the work area, not only a message");
    String html = response.bodyAsString();
    String experimentId = BrowserSession.find(html, "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    assertTrue(html.contains("id=\"variant-A\"") && html.contains("id=\"variant-B\""), html);
    assertEquals(2, html.split("hx-post=\"/ui/retry\"", -1).length - 1, "one retry button per variant: " + html);
    assertTrue(html.contains("El servicio de generación falló."), "the error is shown above the forms: " + html);
    assertFalse(html.contains("no variant could be generated"), "the provider's English stays off a Spanish page: " + html);
    String english = await(session.htmx(HttpMethod.POST, "/ui/enhance?lang=en").sendMultipartForm(form)).bodyAsString();
    assertTrue(english.contains("no variant could be generated"), "the detail on an English page: " + english);

    fakes.failingApi = null;
    HttpResponse<Buffer> retried = await(session.htmx(HttpMethod.POST, "/ui/retry")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("experiment_id", experimentId).add("option", "A")));
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
    assertTrue(retried.bodyAsString().contains("name=\"rating_A\""), "the retried variant can be rated");
  }
}
