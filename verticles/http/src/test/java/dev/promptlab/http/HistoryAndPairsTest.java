package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The history's server-side thumbnails, who sees whose experiments there (and who uploaded each, for admins), and a
 * pair left unrated: taken up again from the history or set aside with a reason.
 */
class HistoryAndPairsTest extends HttpTestBase {

  private static byte[] render(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(210, 190, 160));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(60, 80, 110));
    g.fillRect(width / 5, height / 2, width / 3, height / 5);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  private static HttpResponse<Buffer> uploadAs(BrowserSession session, byte[] image) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("image", "render.jpg", Buffer.buffer(image), "image/jpeg")
      .attribute("mode", "structure");
    return await(session.htmx(HttpMethod.POST, "/ui/enhance").sendMultipartForm(form));
  }

  @Test
  void thumbnailsAreSmallJpegsMadeOnTheServerForTheOwnerOnly() throws Exception {
    JsonObject created = upload(render(1600, 1200), "render.jpg", "image/jpeg", "structure").bodyAsJsonObject();
    BrowserSession trainer = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    String html = await(trainer.page(HttpMethod.GET, "/history").send()).bodyAsString();
    String original = created.getString("original_url");
    assertTrue(html.contains("src=\"" + original + "/thumbnail\""), html);
    assertFalse(html.contains("src=\"" + original + "\""), "the list never loads a full image");

    HttpResponse<Buffer> thumbnail = await(trainer.page(HttpMethod.GET, original + "/thumbnail").send());
    assertEquals(200, thumbnail.statusCode());
    assertEquals("image/jpeg", thumbnail.getHeader("content-type"));
    assertTrue(thumbnail.getHeader("cache-control").contains("immutable"));
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body().getBytes()));
    assertEquals(320, small.getWidth());
    assertEquals(240, small.getHeight());
    long full = await(trainer.page(HttpMethod.GET, original).send()).body().length();
    assertTrue(thumbnail.body().length() * 4 < full, thumbnail.body().length() + " against " + full);
    assertEquals(thumbnail.body(), await(trainer.page(HttpMethod.GET, original + "/thumbnail").send()).body(),
      "the same bytes from the cache");

    await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers").sendJsonObject(new JsonObject()
      .put("email", "colega@example.com").put("password", "another long password")));
    BrowserSession colleague = BrowserSession.login(client, "colega@example.com", "another long password");
    assertEquals(404, await(colleague.page(HttpMethod.GET, original + "/thumbnail").send()).statusCode());
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    assertEquals(200, await(admin.page(HttpMethod.GET, original + "/thumbnail").send()).statusCode());
    assertEquals(404, await(admin.page(HttpMethod.GET, "/images/12/thumbnail").send()).statusCode());
  }

  @Test
  void anAdminSeesWhoUploadedEachExperimentAndFiltersByTrainerChartsIncluded() throws Exception {
    BrowserSession trainer = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    JsonObject mine = upload(pngWithAlpha(), "r.png", "image/png", "structure").bodyAsJsonObject();
    rate(new JsonObject().put("experiment_id", mine.getString("experiment_id")).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 4)).add(new JsonObject().put("option", "B").put("rating", 2))));
    String adminsOwn = find(uploadAs(admin, pngWithAlpha()).bodyAsString(), "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");

    String all = await(admin.page(HttpMethod.GET, "/history").send()).bodyAsString();
    assertTrue(all.contains("<span class=\"rater\">" + TRAINER_EMAIL + "</span>")
      && all.contains("<span class=\"rater\">" + ADMIN_EMAIL + "</span>"), all);
    assertTrue(all.contains("<option value=\"" + TRAINER_EMAIL + "\">"), "a trainer filter for admins");
    assertFalse(all.contains(">" + mine.getString("experiment_id") + "<"), "no raw ids as titles");

    String one = await(admin.page(HttpMethod.GET, "/history?trainer=" + TRAINER_EMAIL).send()).bodyAsString();
    assertFalse(one.contains("id=\"" + adminsOwn + "\""), one);
    assertTrue(one.contains("id=\"" + mine.getString("experiment_id") + "\""), one);
    assertTrue(one.contains("id=\"total-samples\">2<"), "the charts follow the filter: " + one);
    assertTrue(one.contains("<option value=\"" + TRAINER_EMAIL + "\" selected>"));

    String own = await(trainer.page(HttpMethod.GET, "/history?trainer=" + ADMIN_EMAIL).send()).bodyAsString();
    assertTrue(own.contains("id=\"" + mine.getString("experiment_id") + "\""), "a trainer sees their own whatever they ask");
    assertFalse(own.contains("id=\"" + adminsOwn + "\"") || own.contains("class=\"rater\"") || own.contains("f-trainer"), own);
    JsonObject api = await(as(ADMIN_TOKEN, HttpMethod.GET, "/api/train/history?trainer=" + ADMIN_EMAIL).send())
      .bodyAsJsonObject();
    assertEquals(1, api.getJsonArray("experiments").size());
    assertEquals(ADMIN_EMAIL, api.getJsonArray("experiments").getJsonObject(0).getString("created_by"));
  }

  @Test
  void anUnratedPairIsTakenUpFromTheHistoryOrSetAsideWithAReason() throws Exception {
    BrowserSession trainer = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    String left = find(uploadAs(trainer, pngWithAlpha()).bodyAsString(), "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    String history = await(trainer.page(HttpMethod.GET, "/history").send()).bodyAsString();
    assertTrue(history.contains("href=\"/?experiment=" + left + "\""), history);

    String page = await(trainer.page(HttpMethod.GET, "/?experiment=" + left).send()).bodyAsString();
    assertTrue(page.contains("hx-get=\"/ui/experiment?id=" + left + "\""), page);
    HttpResponse<Buffer> reopened = await(trainer.htmx(HttpMethod.GET, "/ui/experiment?id=" + left).send());
    assertEquals(200, reopened.statusCode(), reopened.bodyAsString());
    assertTrue(reopened.bodyAsString().contains("name=\"rating_A\"") && reopened.bodyAsString().contains("value=\"" + left + "\""));
    String adminsOwn = find(uploadAs(admin, pngWithAlpha()).bodyAsString(), "name=\"experiment_id\" value=\"(exp_[0-9a-z]+)\"");
    HttpResponse<Buffer> notMine = await(trainer.htmx(HttpMethod.GET, "/ui/experiment?id=" + adminsOwn).send());
    assertEquals(404, notMine.statusCode());
    assertTrue(notMine.bodyAsString().contains("No hay ninguna pareja tuya"), notMine.bodyAsString());
    assertEquals(404, await(trainer.htmx(HttpMethod.GET, "/ui/experiment?id=../../x").send()).statusCode());

    HttpResponse<Buffer> badReason = await(trainer.htmx(HttpMethod.POST, "/ui/skip")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("experiment_id", left).add("skip_reason", "bored")));
    assertEquals(400, badReason.statusCode());
    assertTrue(badReason.bodyAsString().contains("Elige uno de los motivos"), badReason.bodyAsString());
    assertEquals(403, await(trainer.htmx(HttpMethod.POST, "/ui/skip").sendForm(MultiMap.caseInsensitiveMultiMap()
      .add("experiment_id", adminsOwn).add("skip_reason", "other"))).statusCode());
    HttpResponse<Buffer> skipped = await(trainer.htmx(HttpMethod.POST, "/ui/skip")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("experiment_id", left).add("skip_reason", "cannot_judge")));
    assertEquals(200, skipped.statusCode(), skipped.bodyAsString());
    assertTrue(skipped.bodyAsString().contains("Pareja apartada."), skipped.bodyAsString());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiments WHERE id = '" + left
      + "' AND skip_reason = 'cannot_judge' AND skipped_at IS NOT NULL"));
    HttpResponse<Buffer> again = await(trainer.htmx(HttpMethod.POST, "/ui/skip")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("experiment_id", left).add("skip_reason", "other")));
    assertEquals(409, again.statusCode());
    assertEquals(409, await(trainer.htmx(HttpMethod.GET, "/ui/experiment?id=" + left).send()).statusCode());
    String after = await(trainer.page(HttpMethod.GET, "/history").send()).bodyAsString();
    assertTrue(after.contains("Apartada sin puntuar: no puedo juzgarla"), after);
    assertFalse(after.contains("href=\"/?experiment=" + left + "\""), "nothing left to take up");
    assertEquals(0, rows("ratings"), "setting a pair aside rates nothing");
  }

  private static String find(String html, String regex) {
    return BrowserSession.find(html, regex);
  }
}
