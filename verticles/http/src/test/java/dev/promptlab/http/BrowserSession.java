package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser's view of the site over real HTTP: logs in through the form, keeps the cookie, echoes the CSRF token. */
final class BrowserSession {

  final WebClient client;
  final String sessionCookie;
  final String csrf;

  private BrowserSession(WebClient client, String sessionCookie, String csrf) {
    this.client = client;
    this.sessionCookie = sessionCookie;
    this.csrf = csrf;
  }

  static BrowserSession login(WebClient client, String email, String password) {
    HttpResponse<Buffer> loggedIn = submitLogin(client, email, password);
    assertEquals(303, loggedIn.statusCode(), loggedIn.bodyAsString());
    String session = cookie(loggedIn, "pl_session");
    HttpResponse<Buffer> page = await(client.get("/").putHeader("cookie", "pl_session=" + session).send());
    assertEquals(200, page.statusCode(), page.bodyAsString());
    return new BrowserSession(client, session, find(page.bodyAsString(), "\"X-CSRF-Token\": \"([^\"]+)\""));
  }

  /** The login form round trip (GET for its CSRF cookie and field, then POST); answers the POST's response. */
  static HttpResponse<Buffer> submitLogin(WebClient client, String email, String password) {
    return await(postLogin(client, loginForm(client), email, password));
  }

  /** The login form's CSRF cookie and field. */
  static String[] loginForm(WebClient client) {
    HttpResponse<Buffer> form = await(client.get("/login").send());
    assertEquals(200, form.statusCode());
    return new String[] {cookie(form, "pl_login_csrf"), find(form.bodyAsString(), "name=\"_csrf\" value=\"([^\"]+)\"")};
  }

  /** Posts the login form fetched by {@link #loginForm}. */
  static Future<HttpResponse<Buffer>> postLogin(WebClient client, String[] form, String email, String password) {
    return client.post("/login").putHeader("cookie", "pl_login_csrf=" + form[0])
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", password).add("_csrf", form[1]));
  }

  /** An htmx request of this session, CSRF token included. */
  HttpRequest<Buffer> htmx(HttpMethod method, String uri) {
    return page(method, uri).putHeader("HX-Request", "true").putHeader("X-CSRF-Token", csrf);
  }

  /** A plain browser request of this session (no CSRF header). */
  HttpRequest<Buffer> page(HttpMethod method, String uri) {
    return client.request(method, uri).putHeader("cookie", "pl_session=" + sessionCookie);
  }

  static String cookie(HttpResponse<Buffer> response, String name) {
    return response.cookies().stream().filter(c -> c.startsWith(name + "=")).findFirst()
      .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
      .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.cookies()));
  }

  static String find(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    assertTrue(m.find(), regex + " in " + html);
    return m.group(1);
  }
}
