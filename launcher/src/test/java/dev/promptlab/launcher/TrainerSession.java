package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trainer's own login: an account the admin created, logged in through the login form, using the JSON API with
 * its session cookie and CSRF token as the trainer page does. Its requests count as that trainer's.
 */
final class TrainerSession {

  private final RunningServer server;
  private final String cookie;
  private final String csrf;

  private TrainerSession(RunningServer server, String cookie, String csrf) {
    this.server = server;
    this.cookie = cookie;
    this.csrf = csrf;
  }

  /** The admin creates the account over the API; the trainer then logs in. Blocking: call from a test thread. */
  static TrainerSession createAndLogIn(RunningServer server, String email, String password) throws Exception {
    HttpResponse<Buffer> created = await(server.post("/api/admin/trainers").sendJsonObject(new JsonObject()
      .put("email", email).put("password", password).put("display_name", email.substring(0, email.indexOf('@')))));
    assertEquals(200, created.statusCode(), created.bodyAsString());

    HttpResponse<Buffer> form = await(server.client.get("/login").send());
    assertEquals(200, form.statusCode(), form.bodyAsString());
    String loginCsrf = cookie(form, "pl_login_csrf");
    HttpResponse<Buffer> loggedIn = await(server.client.post("/login").followRedirects(false)
      .putHeader("cookie", "pl_login_csrf=" + loginCsrf)
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", password)
        .add("_csrf", find(form.bodyAsString(), "name=\"_csrf\" value=\"([^\"]+)\""))));
    assertEquals(303, loggedIn.statusCode(), "login of " + email + ": " + loggedIn.bodyAsString());
    String session = cookie(loggedIn, "pl_session");

    HttpResponse<Buffer> page = await(server.client.get("/").putHeader("cookie", "pl_session=" + session).send());
    assertEquals(200, page.statusCode(), page.bodyAsString());
    return new TrainerSession(server, session, find(page.bodyAsString(), "\"X-CSRF-Token\": \"([^\"]+)\""));
  }

  /** A request of this session; state-changing ones carry the CSRF token like the page's htmx requests. */
  HttpRequest<Buffer> request(HttpMethod method, String path) {
    HttpRequest<Buffer> request = server.client.request(method, path).putHeader("cookie", "pl_session=" + cookie);
    return method == HttpMethod.GET ? request : request.putHeader("X-CSRF-Token", csrf);
  }

  private static String cookie(HttpResponse<Buffer> response, String name) {
    return response.cookies().stream().filter(c -> c.startsWith(name + "=")).findFirst()
      .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
      .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.cookies()));
  }

  private static String find(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    if (!m.find()) {
      throw new AssertionError("no match for " + regex + " in the page");
    }
    return m.group(1);
  }
}
