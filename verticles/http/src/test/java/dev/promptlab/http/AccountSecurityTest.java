package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.http.accounts.Secrets;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** API tokens (list, expiry, revocation), password change and the admin-issued reset, over real HTTP. */
class AccountSecurityTest extends HttpTestBase {

  private static final String NEW_PASSWORD = "tren azul de madrid";

  private static HttpResponse<Buffer> json(String token, HttpMethod method, String uri, JsonObject body) {
    return await(as(token, method, uri).sendJsonObject(body));
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @Test
  void tokensAreListedWithoutSecretsExpireAndAreRevoked() {
    HttpResponse<Buffer> issued = json(TRAINER_TOKEN, HttpMethod.POST, "/api/account/tokens",
      new JsonObject().put("name", "nightly").put("expires_in_days", 7));
    assertEquals(200, issued.statusCode(), issued.bodyAsString());
    String token = issued.bodyAsJsonObject().getString("token");
    Instant expires = Instant.parse(issued.bodyAsJsonObject().getString("expires_at"));
    assertTrue(expires.isAfter(Instant.now().plus(Duration.ofDays(6))) && expires.isBefore(Instant.now().plus(Duration.ofDays(8))));
    assertEquals(200, await(as(token, HttpMethod.GET, "/api/train/status").send()).statusCode());

    HttpResponse<Buffer> list = await(as(TRAINER_TOKEN, HttpMethod.GET, "/api/account/tokens").send());
    assertEquals(200, list.statusCode());
    JsonArray tokens = list.bodyAsJsonObject().getJsonArray("tokens");
    assertEquals(2, tokens.size());
    JsonObject nightly = tokens.getJsonObject(0);
    assertEquals("nightly", nightly.getString("name"));
    assertTrue(nightly.getString("last_used_at") != null && nightly.getString("created_at") != null);
    assertFalse(list.bodyAsString().contains(token) || list.bodyAsString().contains(Secrets.digest(token)),
      "neither the secret nor its digest is listed");
    assertFalse(list.bodyAsString().contains(ADMIN_ACCOUNT_TOKEN), "only the caller's own tokens");

    TestDatabase.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'nightly'");
    assertEquals(401, await(as(token, HttpMethod.GET, "/api/train/status").send()).statusCode(), "expired");
    TestDatabase.execute("UPDATE api_tokens SET expires_at = now() + interval '1 day' WHERE name = 'nightly'");

    long id = nightly.getLong("id");
    assertEquals(404, await(as(ADMIN_ACCOUNT_TOKEN, HttpMethod.DELETE, "/api/account/tokens/" + id).send()).statusCode(),
      "another account cannot revoke it");
    assertEquals(200, await(as(TRAINER_TOKEN, HttpMethod.DELETE, "/api/account/tokens/" + id).send()).statusCode());
    assertEquals(401, await(as(token, HttpMethod.GET, "/api/train/status").send()).statusCode(), "revoked");
    assertEquals(404, await(as(TRAINER_TOKEN, HttpMethod.DELETE, "/api/account/tokens/" + id).send()).statusCode());
    assertEquals(404, await(as(TRAINER_TOKEN, HttpMethod.DELETE, "/api/account/tokens/x").send()).statusCode());
  }

  @Test
  void tokenRequestsOutsideTheRulesAreRefused() {
    for (Object days : new Object[] {0, 366, 1.5, "soon"}) {
      HttpResponse<Buffer> refused = json(TRAINER_TOKEN, HttpMethod.POST, "/api/account/tokens",
        new JsonObject().put("name", "x").put("expires_in_days", days));
      assertEquals(400, refused.statusCode(), String.valueOf(days));
    }
    assertEquals(400, json(TRAINER_TOKEN, HttpMethod.POST, "/api/account/tokens", new JsonObject().put("name", " "))
      .statusCode());
    HttpResponse<Buffer> longest = json(TRAINER_TOKEN, HttpMethod.POST, "/api/account/tokens",
      new JsonObject().put("name", "default"));
    assertTrue(Instant.parse(longest.bodyAsJsonObject().getString("expires_at"))
      .isAfter(Instant.now().plus(Duration.ofDays(364))), "without expiry: the maximum");
    assertEquals(400, await(as(ADMIN_TOKEN, HttpMethod.GET, "/api/account/tokens").send()).statusCode());
    assertEquals(401, await(client.get("/api/account/tokens").send()).statusCode());
  }

  @Test
  void theAccountPageListsAndRevokesTokensInThePagesLanguage() {
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    HttpResponse<Buffer> issued = await(session.htmx(HttpMethod.POST, "/account/tokens")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("name", "laptop script").add("expires_in_days", "30")));
    assertEquals(200, issued.statusCode(), issued.bodyAsString());
    assertEquals("tokens-changed", issued.getHeader("HX-Trigger"));
    String page = await(session.page(HttpMethod.GET, "/account").send()).bodyAsString();
    assertTrue(page.contains("laptop script") && page.contains("Revocar") && page.contains("Cambiar la contraseña"), page);
    String token = BrowserSession.find(issued.bodyAsString(), "<code class=\"token\" id=\"new-token-value\">([^<]+)</code>");
    assertFalse(page.contains(token));
    long id = TestDatabase.count("SELECT id FROM api_tokens WHERE name = 'laptop script'");
    HttpResponse<Buffer> revoked = await(session.htmx(HttpMethod.POST, "/account/tokens/" + id + "/revoke").send());
    assertEquals(200, revoked.statusCode());
    assertFalse(revoked.bodyAsString().contains("laptop script"));
    assertEquals(401, await(as(token, HttpMethod.GET, "/api/train/status").send()).statusCode());

    HttpResponse<Buffer> badName = await(session.htmx(HttpMethod.POST, "/account/tokens")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("name", " ")));
    assertEquals(400, badName.statusCode());
    assertTrue(badName.bodyAsString().contains("Ponle al token un nombre"), badName.bodyAsString());
    HttpResponse<Buffer> badDays = await(session.htmx(HttpMethod.POST, "/account/tokens?lang=en")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("name", "x").add("expires_in_days", "9999")));
    assertEquals(400, badDays.statusCode());
    assertTrue(badDays.bodyAsString().contains("whole number of days"), badDays.bodyAsString());
    assertEquals(404, await(session.htmx(HttpMethod.POST, "/account/tokens/999999/revoke").send()).statusCode());
  }

  @Test
  void aTrainerChangesThePasswordWithTheCurrentOne() {
    BrowserSession here = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    BrowserSession elsewhere = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    HttpResponse<Buffer> wrong = await(here.htmx(HttpMethod.POST, "/account/password")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("current_password", "not my password").add("new_password", NEW_PASSWORD)));
    assertEquals(400, wrong.statusCode());
    assertTrue(wrong.bodyAsString().contains("La contraseña actual no es correcta"), wrong.bodyAsString());
    HttpResponse<Buffer> weak = await(here.htmx(HttpMethod.POST, "/account/password")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("current_password", PASSWORD).add("new_password", "password12")));
    assertEquals(400, weak.statusCode());
    assertTrue(weak.bodyAsString().contains("Esta contraseña es una de las más comunes"), weak.bodyAsString());
    assertEquals(403, await(here.page(HttpMethod.POST, "/account/password")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("current_password", PASSWORD).add("new_password", NEW_PASSWORD)))
      .statusCode(), "the CSRF token is needed");

    HttpResponse<Buffer> changed = await(here.htmx(HttpMethod.POST, "/account/password")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("current_password", PASSWORD).add("new_password", NEW_PASSWORD)));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertTrue(changed.bodyAsString().contains("Contraseña cambiada"));
    assertEquals(200, await(here.page(HttpMethod.GET, "/account").send()).statusCode(), "this session stays");
    assertEquals(303, await(elsewhere.page(HttpMethod.GET, "/account").send()).statusCode(), "others end");
    assertEquals(401, BrowserSession.submitLogin(clientFrom("127.0.1.1"), TRAINER_EMAIL, PASSWORD).statusCode());
    assertEquals(303, BrowserSession.submitLogin(clientFrom("127.0.1.1"), TRAINER_EMAIL, NEW_PASSWORD).statusCode());
  }

  @Test
  void thePasswordApiChecksTheCurrentPasswordUnderTheLoginLimits() {
    // An address of its own: the limits it reaches must not meet other tests' logins.
    WebClient script = clientFrom("127.0.1.3");
    HttpResponse<Buffer> wrong = passwordChange(script, ADMIN_ACCOUNT_TOKEN,
      new JsonObject().put("current_password", "nope nope nope").put("new_password", NEW_PASSWORD));
    assertEquals(400, wrong.statusCode());
    assertEquals("invalid_request", errorCode(wrong));
    assertEquals(400, passwordChange(script, ADMIN_ACCOUNT_TOKEN,
      new JsonObject().put("current_password", PASSWORD).put("new_password", "aaaaaaaaaa")).statusCode());
    assertEquals(400, passwordChange(script, ADMIN_TOKEN,
      new JsonObject().put("current_password", PASSWORD).put("new_password", NEW_PASSWORD)).statusCode());
    // The right current password above forgot the earlier failure: five guesses use up the free ones.
    for (int i = 0; i < 5; i++) {
      passwordChange(script, ADMIN_ACCOUNT_TOKEN,
        new JsonObject().put("current_password", "guess " + i).put("new_password", NEW_PASSWORD));
    }
    HttpResponse<Buffer> limited = passwordChange(script, ADMIN_ACCOUNT_TOKEN,
      new JsonObject().put("current_password", PASSWORD).put("new_password", NEW_PASSWORD));
    assertEquals(429, limited.statusCode(), limited.bodyAsString());
    assertEquals("too_many_requests", errorCode(limited));
  }

  @Test
  void anAdminIssuesAOneTimeExpiringResetStoredAsADigest() {
    long id = TestDatabase.count("SELECT id FROM trainers WHERE email = '" + TRAINER_EMAIL + "'");
    BrowserSession trainerSession = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    assertEquals(403, await(as(TRAINER_TOKEN, HttpMethod.POST, "/api/admin/trainers/" + id + "/password-reset").send())
      .statusCode());
    assertEquals(404, await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers/999999/password-reset").send())
      .statusCode());
    HttpResponse<Buffer> first = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers/" + id + "/password-reset").send());
    assertEquals(200, first.statusCode(), first.bodyAsString());
    String firstCode = first.bodyAsJsonObject().getString("code");
    JsonObject issued = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers/" + id + "/password-reset").send())
      .bodyAsJsonObject();
    String code = issued.getString("code");
    assertEquals("/reset?code=" + code, issued.getString("url"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM password_resets WHERE code_hash = '" + Secrets.digest(code)
      + "' AND expires_at <= now() + interval '61 minutes'"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM password_resets WHERE code_hash = '" + code + "'"));
    assertEquals(400, resetApi(firstCode, NEW_PASSWORD).statusCode(), "a newer code replaces the older one");

    HttpResponse<Buffer> form = await(client.get("/reset?code=" + code).send());
    assertEquals(200, form.statusCode());
    assertEquals("no-referrer", form.getHeader("referrer-policy"));
    HttpResponse<Buffer> weak = submitReset(form, code, "1234567890");
    assertEquals(400, weak.statusCode());
    assertTrue(weak.bodyAsString().contains("Esta contraseña es una de las más comunes"), weak.bodyAsString());
    HttpResponse<Buffer> done = submitReset(await(client.get("/reset?code=" + code).send()), code, NEW_PASSWORD);
    assertEquals(303, done.statusCode(), done.bodyAsString());
    assertEquals("/login?reset=done", done.getHeader("location"));
    assertTrue(await(client.get("/login?reset=done").send()).bodyAsString().contains("Tu contraseña se cambió"));
    assertEquals(303, await(trainerSession.page(HttpMethod.GET, "/account").send()).statusCode(), "sessions end");

    HttpResponse<Buffer> again = submitReset(await(client.get("/reset?code=" + code).send()), code, "otra frase distinta");
    assertEquals(400, again.statusCode(), "a code works once");
    assertTrue(again.bodyAsString().contains("Este enlace de restablecimiento no es válido"));
    assertEquals(303, BrowserSession.submitLogin(clientFrom("127.0.1.2"), TRAINER_EMAIL, NEW_PASSWORD).statusCode());
  }

  @Test
  void theResetApiRefusesExpiredUnknownAndStaleRequests() {
    long id = TestDatabase.count("SELECT id FROM trainers WHERE email = '" + TRAINER_EMAIL + "'");
    String code = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/admin/trainers/" + id + "/password-reset").send())
      .bodyAsJsonObject().getString("code");
    TestDatabase.execute("UPDATE password_resets SET expires_at = now() - interval '1 second'");
    HttpResponse<Buffer> expired = resetApi(code, NEW_PASSWORD);
    assertEquals(400, expired.statusCode());
    assertTrue(expired.bodyAsJsonObject().getJsonObject("error").getString("message").contains("expired"));
    assertEquals(400, resetApi("made-up-code", NEW_PASSWORD).statusCode());
    assertEquals(400, resetApi(null, NEW_PASSWORD).statusCode());
    TestDatabase.execute("UPDATE password_resets SET expires_at = now() + interval '1 hour'");
    assertEquals(400, resetApi(code, "aaaaaaaaaa").statusCode());
    assertEquals(200, resetApi(code, NEW_PASSWORD).statusCode());
    assertEquals(400, resetApi(code, "otra frase distinta").statusCode());
    HttpResponse<Buffer> noCsrf = await(client.post("/reset").sendForm(MultiMap.caseInsensitiveMultiMap()
      .add("code", code).add("new_password", NEW_PASSWORD)));
    assertEquals(403, noCsrf.statusCode());
    assertTrue(noCsrf.bodyAsString().contains("abre el enlace de nuevo"));
  }

  @Test
  void theAdminPageShowsTheResetLinkOnce() {
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    long id = TestDatabase.count("SELECT id FROM trainers WHERE email = '" + TRAINER_EMAIL + "'");
    assertTrue(await(admin.page(HttpMethod.GET, "/admin/trainers").send()).bodyAsString()
      .contains("/admin/trainers/" + id + "/password-reset"));
    HttpResponse<Buffer> link = await(admin.htmx(HttpMethod.POST, "/admin/trainers/" + id + "/password-reset").send());
    assertEquals(200, link.statusCode(), link.bodyAsString());
    String url = BrowserSession.find(link.bodyAsString(), "<code class=\"reset-link\">([^<]+)</code>");
    assertTrue(url.startsWith("http://127.0.0.1:" + port + "/reset?code="), url);
    assertEquals(404, await(admin.htmx(HttpMethod.POST, "/admin/trainers/999999/password-reset").send()).statusCode());
  }

  private static HttpResponse<Buffer> passwordChange(WebClient from, String token, JsonObject body) {
    return await(from.post("/api/account/password").putHeader("authorization", "Bearer " + token).sendJsonObject(body));
  }

  /** {@code POST /api/password-reset} without credentials. */
  private static HttpResponse<Buffer> resetApi(String code, String password) {
    JsonObject body = new JsonObject().put("new_password", password);
    if (code != null) {
      body.put("code", code);
    }
    return await(client.post("/api/password-reset").sendJsonObject(body));
  }

  private static HttpResponse<Buffer> submitReset(HttpResponse<Buffer> form, String code, String password) {
    String csrf = BrowserSession.cookie(form, "pl_reset_csrf");
    String field = BrowserSession.find(form.bodyAsString(), "name=\"_csrf\" value=\"([^\"]+)\"");
    return await(client.post("/reset").putHeader("cookie", "pl_reset_csrf=" + csrf)
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("code", code).add("new_password", password).add("_csrf", field)));
  }
}
