package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** History with thumbnails, filters and server-rendered SVG charts; comments render inert. */
class HistoryPageTest extends HttpTestBase {

  private static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> \"quoted\" & <b>bold</b>";

  private void experiment(String mode, int ratingA, int ratingB, String comment) throws Exception {
    JsonObject created = upload(pngWithAlpha(), "r.png", "image/png", mode).bodyAsJsonObject();
    assertEquals(200, rate(new JsonObject().put("experiment_id", created.getString("experiment_id"))
      .put("ratings", new JsonArray()
        .add(new JsonObject().put("option", "A").put("rating", ratingA).put("comments", comment))
        .add(new JsonObject().put("option", "B").put("rating", ratingB)))).statusCode());
  }

  @Test
  void chartsAndThumbnailsOfEveryRatedVariant() throws Exception {
    experiment("structure", 2, 4, "flat light");
    experiment("structure", 3, 5, null);
    experiment("surfaces", 1, 2, null);
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    HttpResponse<Buffer> page = await(session.page(HttpMethod.GET, "/history").send());
    assertEquals(200, page.statusCode(), page.bodyAsString());
    String html = page.bodyAsString();
    assertTrue(html.contains("<svg"), html);
    assertEquals(9, count(html, "class=\"thumb\""), "original + two variants per experiment");
    String trend = section(html, "id=\"chart-trend\"");
    assertEquals(6, count(trend, "<circle"), "one dot per rated variant");
    assertTrue(trend.contains("<polyline class=\"trend\""));
    assertEquals(2, count(section(html, "id=\"chart-api\""), "<rect"));
    assertEquals(6, count(section(html, "id=\"chart-strength\""), "<circle"));
    assertEquals(6, count(section(html, "id=\"chart-guidance\""), "<circle"));
    assertEquals(6, count(section(html, "id=\"chart-control\""), "<circle"));
    assertTrue(html.contains("id=\"total-samples\">6<"));
    assertFalse(html.contains("http://") || html.contains("https://"), "nothing is fetched from elsewhere");

    String filtered = await(session.page(HttpMethod.GET, "/history?mode=surfaces&api=&min_rating=").send()).bodyAsString();
    assertTrue(filtered.contains("id=\"total-samples\">2<"), filtered);
    assertEquals(3, count(filtered, "class=\"thumb\""));
    assertEquals(400, await(session.page(HttpMethod.GET, "/history?limit=0").send()).statusCode());
  }

  @Test
  void aCommentWithScriptAndHtmlRendersInertEverywhere() throws Exception {
    experiment("structure", 4, 3, HOSTILE);
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    String html = await(session.page(HttpMethod.GET, "/history").send()).bodyAsString();
    assertFalse(html.contains("<script>alert"), html);
    assertFalse(html.contains("<img src=x"), html);
    assertFalse(html.contains("<b>bold</b>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
      || html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"), html);
    // The JSON API returns the text as data, exactly as typed.
    JsonObject api = get("/api/train/history").bodyAsJsonObject();
    assertEquals(HOSTILE.strip(), api.getJsonArray("experiments").getJsonObject(0).getJsonArray("options")
      .getJsonObject(0).getString("comments"));
    assertEquals("text/html; charset=utf-8", await(session.page(HttpMethod.GET, "/history").send())
      .getHeader("content-type"));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  private static String section(String html, String marker) {
    int start = html.indexOf(marker);
    assertTrue(start >= 0, marker);
    return html.substring(start, html.indexOf("</svg>", start));
  }
}
