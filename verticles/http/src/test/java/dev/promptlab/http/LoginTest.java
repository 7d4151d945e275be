package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.Future;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Logging in and out through the real form. */
class LoginTest extends HttpTestBase {

  @Test
  void aSessionCookieIsHttpOnlyAndStrict() {
    HttpResponse<Buffer> response = BrowserSession.submitLogin(client, "  Trainer@Example.com ", PASSWORD);
    assertEquals(303, response.statusCode());
    assertEquals("/", response.getHeader("location"));
    String cookie = response.cookies().stream().filter(c -> c.startsWith("pl_session=")).findFirst().orElseThrow();
    assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertEquals(1, rows("sessions"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM sessions WHERE token_hash = '"
      + BrowserSession.cookie(response, "pl_session") + "'"), "only the token's digest is stored");
  }

  @Test
  void wrongPasswordsUnknownEmailsAndDisabledAccountsAreRefusedAlike() {
    for (String[] attempt : new String[][] {{TRAINER_EMAIL, "wrong password!"}, {"nobody@example.com", PASSWORD}}) {
      HttpResponse<Buffer> response = BrowserSession.submitLogin(client, attempt[0], attempt[1]);
      assertEquals(401, response.statusCode());
      assertTrue(response.bodyAsString().contains("Correo o contraseña incorrectos"));
    }
    TestDatabase.execute("UPDATE trainers SET disabled_at = now() WHERE email = '" + TRAINER_EMAIL + "'");
    assertEquals(401, BrowserSession.submitLogin(client, TRAINER_EMAIL, PASSWORD).statusCode());
    assertEquals(401, get("/api/train/status").statusCode(), "a disabled account's API token stops working");
    assertEquals(0, rows("sessions"));
  }

  @Test
  void aLoginWithoutTheFormsCsrfTokenIsRefused() {
    HttpResponse<Buffer> response = await(client.post("/login").sendForm(MultiMap.caseInsensitiveMultiMap()
      .add("email", TRAINER_EMAIL).add("password", PASSWORD)));
    assertEquals(403, response.statusCode());
    assertEquals(0, rows("sessions"));
  }

  @Test
  void repeatedFailuresAreThrottled() {
    for (int i = 0; i < 5; i++) {
      assertEquals(401, BrowserSession.submitLogin(client, ADMIN_EMAIL, "guess number " + i).statusCode());
    }
    HttpResponse<Buffer> throttled = BrowserSession.submitLogin(client, ADMIN_EMAIL, PASSWORD);
    assertEquals(429, throttled.statusCode());
    assertTrue(Integer.parseInt(throttled.getHeader("retry-after")) > 0);
    assertEquals(0, rows("sessions"), "even the right password waits");
  }

  @Test
  void loggingOutEndsTheSession() {
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    HttpResponse<Buffer> out = await(session.page(HttpMethod.POST, "/logout")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("_csrf", session.csrf)));
    assertEquals(303, out.statusCode());
    assertEquals(0, rows("sessions"));
    assertEquals(303, await(session.page(HttpMethod.GET, "/").send()).statusCode());
  }

  @Test
  void anAccountIssuesAnApiTokenForScripts() {
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    assertTrue(await(session.page(HttpMethod.GET, "/account").send()).bodyAsString().contains(TRAINER_EMAIL));
    HttpResponse<Buffer> issued = await(session.htmx(HttpMethod.POST, "/account/tokens")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("name", "nightly script")));
    assertEquals(200, issued.statusCode(), issued.bodyAsString());
    String token = BrowserSession.find(issued.bodyAsString(), "<code class=\"token\" id=\"new-token-value\">([^<]+)</code>");
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM api_tokens WHERE name = 'nightly script'"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM api_tokens WHERE token_hash = '" + token + "'"));
    HttpResponse<Buffer> status = await(as(token, HttpMethod.GET, "/api/train/status").send());
    assertEquals(200, status.statusCode());
    assertEquals(400, await(session.htmx(HttpMethod.POST, "/account/tokens")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("name", " "))).statusCode());
  }

  @Test
  void afterLoginTheRequestedPageOpensButNeverAnotherSite() {
    HttpResponse<Buffer> form = await(client.get("/login?next=/history").send());
    assertTrue(form.bodyAsString().contains("name=\"next\" value=\"/history\""));
    HttpResponse<Buffer> evil = await(client.get("/login?next=//evil.example/x").send());
    assertTrue(evil.bodyAsString().contains("name=\"next\" value=\"/\""));
    assertFalse(evil.bodyAsString().contains("evil.example"));
  }

  @Test
  void aLoggedInUserIsNeverSentToAnotherSiteNorBrokenByALineBreak() {
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    for (String next : new String[] {"/%09/127.0.0.1:8192/pwned.html", "/%0d%0aSet-Cookie:%20a=b", "/%0a/evil.example",
      "/%5C/evil.example"}) {
      HttpResponse<Buffer> response = await(session.page(HttpMethod.GET, "/login?next=" + next).send());
      assertEquals(303, response.statusCode(), next);
      assertEquals("/", response.getHeader("location"), next);
    }
    assertEquals("/history", await(session.page(HttpMethod.GET, "/login?next=/history").send()).getHeader("location"));
  }

  @Test
  void aLineBreakInNextAfterLoggingInStillAnswersWithTheTrainerPage() {
    HttpResponse<Buffer> form = await(client.get("/login").send());
    String loginCsrf = BrowserSession.cookie(form, "pl_login_csrf");
    String field = BrowserSession.find(form.bodyAsString(), "name=\"_csrf\" value=\"([^\"]+)\"");
    HttpResponse<Buffer> response = await(client.post("/login").putHeader("cookie", "pl_login_csrf=" + loginCsrf)
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("email", TRAINER_EMAIL).add("password", PASSWORD)
        .add("_csrf", field).add("next", "/history\r\nSet-Cookie: a=b")));
    assertEquals(303, response.statusCode());
    assertEquals("/", response.getHeader("location"));
  }

  @Test
  void parallelGuessesAreCountedBeforeTheyAreCheckedAndOthersStillLogIn() {
    WebClient attacker = clientFrom("127.0.0.2");
    List<Future<HttpResponse<Buffer>>> guesses = new ArrayList<>();
    List<String[]> forms = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      forms.add(BrowserSession.loginForm(attacker));
    }
    for (int i = 0; i < 40; i++) {
      guesses.add(BrowserSession.postLogin(attacker, forms.get(i), ADMIN_EMAIL, "guess number " + i));
    }
    HttpResponse<Buffer> meanwhile = BrowserSession.submitLogin(clientFrom("127.0.0.3"), TRAINER_EMAIL, PASSWORD);
    Map<Integer, Long> statuses = await(Future.all(guesses)).<HttpResponse<Buffer>>list().stream()
      .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    long checked = statuses.getOrDefault(401, 0L);
    assertTrue(checked >= 1 && checked <= 5, "at most the 5 free guesses are checked: " + statuses);
    assertEquals(40 - checked, statuses.getOrDefault(429, 0L), String.valueOf(statuses));
    assertEquals(303, meanwhile.statusCode(), "a login from elsewhere goes through");
  }

  @Test
  void failuresFromOneAddressDoNotLockTheTrainerOutOfAnother() {
    WebClient attacker = clientFrom("127.0.0.4");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, BrowserSession.submitLogin(attacker, TRAINER_EMAIL, "guess number " + i).statusCode());
    }
    assertEquals(429, BrowserSession.submitLogin(attacker, TRAINER_EMAIL, PASSWORD).statusCode());
    HttpResponse<Buffer> trainer = BrowserSession.submitLogin(clientFrom("127.0.0.5"), TRAINER_EMAIL, PASSWORD);
    assertEquals(303, trainer.statusCode(), trainer.bodyAsString());
    assertEquals(429, BrowserSession.submitLogin(attacker, TRAINER_EMAIL, PASSWORD).statusCode(),
      "the trainer's login does not unblock the attacker's address");
  }
}
