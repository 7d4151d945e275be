package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Walks every training and admin route: refused without the right role, and browser sessions need the CSRF token. */
class AccessControlTest extends HttpTestBase {

  record Route(HttpMethod method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final List<Route> TRAINER_API = List.of(
    new Route(HttpMethod.POST, "/api/enhance/train"),
    new Route(HttpMethod.POST, "/api/train/rate"),
    new Route(HttpMethod.GET, "/api/train/status"),
    new Route(HttpMethod.GET, "/api/train/history"),
    new Route(HttpMethod.POST, "/api/train/experiments/exp_abcdef1/options/A/retry"),
    new Route(HttpMethod.GET, "/images/AAAAAAAAAAAAAAAAAAAAAA"));

  static final List<Route> ADMIN_API = List.of(
    new Route(HttpMethod.POST, "/api/train/evolve"),
    new Route(HttpMethod.GET, "/api/admin/overview"),
    new Route(HttpMethod.GET, "/api/admin/trainers"),
    new Route(HttpMethod.POST, "/api/admin/trainers"),
    new Route(HttpMethod.POST, "/api/admin/trainers/1/disable"),
    new Route(HttpMethod.POST, "/api/admin/trainers/1/enable"),
    new Route(HttpMethod.GET, "/api/admin/prompts"),
    new Route(HttpMethod.GET, "/api/admin/prompts/diff?from=v1.0.0&to=v1.0.1"),
    new Route(HttpMethod.GET, "/api/admin/prompts/v1.0.0"),
    new Route(HttpMethod.POST, "/api/admin/prompts/rollback"),
    new Route(HttpMethod.POST, "/api/admin/prompts/v1.0.1/promote"),
    new Route(HttpMethod.GET, "/api/admin/ab-tests"),
    new Route(HttpMethod.GET, "/api/admin/evolutions"),
    new Route(HttpMethod.POST, "/api/admin/phase1"),
    new Route(HttpMethod.POST, "/api/admin/verticles/optimizer/redeploy"));

  static final List<Route> TRAINER_PAGES = List.of(
    new Route(HttpMethod.GET, "/"),
    new Route(HttpMethod.GET, "/history"),
    new Route(HttpMethod.GET, "/ui/status"),
    new Route(HttpMethod.POST, "/ui/enhance"),
    new Route(HttpMethod.POST, "/ui/rate"),
    new Route(HttpMethod.POST, "/ui/retry"));

  static final List<Route> ADMIN_PAGES = List.of(
    new Route(HttpMethod.GET, "/admin"),
    new Route(HttpMethod.GET, "/admin/trainers"),
    new Route(HttpMethod.GET, "/admin/prompts"),
    new Route(HttpMethod.GET, "/admin/prompts/diff?from=v1.0.0&to=v1.0.1"),
    new Route(HttpMethod.POST, "/admin/trainers"),
    new Route(HttpMethod.POST, "/admin/trainers/1/disable"),
    new Route(HttpMethod.POST, "/admin/trainers/1/enable"),
    new Route(HttpMethod.POST, "/admin/prompts/promote"),
    new Route(HttpMethod.POST, "/admin/prompts/rollback"),
    new Route(HttpMethod.POST, "/admin/evolve"),
    new Route(HttpMethod.POST, "/admin/phase1"),
    new Route(HttpMethod.POST, "/admin/verticles/optimizer/redeploy"));

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, Route route) {
    return await(route.method() == HttpMethod.GET ? request.send()
      : request.sendForm(MultiMap.caseInsensitiveMultiMap().add("mode", "structure").add("version", "v1.0.1")));
  }

  private static void assertNothingChanged() {
    assertTrue(fakes.adminActions.isEmpty(), fakes.adminActions.toString());
    assertEquals(2, rows("trainers"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM trainers WHERE disabled_at IS NOT NULL"));
    assertEquals(0, rows("experiments"));
    assertEquals(0, rows("ratings"));
  }

  @Test
  void withoutCredentialsEveryApiRouteIs401() {
    for (Route route : concat(TRAINER_API, ADMIN_API)) {
      HttpResponse<Buffer> response = send(client.request(route.method(), route.path()), route);
      assertEquals(401, response.statusCode(), route.toString());
      assertEquals("unauthorized", response.bodyAsJsonObject().getJsonObject("error").getString("code"), route.toString());
    }
    assertNothingChanged();
  }

  @Test
  void withoutASessionEveryPageGoesToTheLogin() {
    for (Route route : concat(TRAINER_PAGES, ADMIN_PAGES)) {
      HttpResponse<Buffer> page = send(client.request(route.method(), route.path()), route);
      assertEquals(303, page.statusCode(), route.toString());
      assertTrue(page.getHeader("location").startsWith("/login?next="), route + " → " + page.getHeader("location"));
      HttpResponse<Buffer> htmx = send(client.request(route.method(), route.path()).putHeader("HX-Request", "true"), route);
      assertEquals(401, htmx.statusCode(), route.toString());
      assertTrue(htmx.getHeader("HX-Redirect").startsWith("/login"), route.toString());
    }
    assertNothingChanged();
  }

  @Test
  void aTrainerIsRefusedEveryAdminRoute() {
    for (Route route : ADMIN_API) {
      HttpResponse<Buffer> response = send(trainer(route.method(), route.path()), route);
      assertEquals(403, response.statusCode(), route.toString());
      assertEquals("forbidden", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    BrowserSession session = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    for (Route route : ADMIN_PAGES) {
      HttpResponse<Buffer> response = send(session.htmx(route.method(), route.path()), route);
      assertEquals(403, response.statusCode(), route.toString());
    }
    assertEquals(403, await(session.page(HttpMethod.GET, "/admin").send()).statusCode());
    assertNothingChanged();
  }

  @Test
  void rolesThatFitAreLetThrough() {
    for (Route route : TRAINER_API) {
      int status = send(trainer(route.method(), route.path()), route).statusCode();
      assertTrue(status != 401 && status != 403, route + " answered " + status);
    }
    for (String token : List.of(ADMIN_ACCOUNT_TOKEN, ADMIN_TOKEN)) {
      for (Route route : ADMIN_API) {
        int status = send(as(token, route.method(), route.path()), route).statusCode();
        assertTrue(status != 401 && status != 403, route + " answered " + status);
      }
    }
  }

  @Test
  void browserSessionsMustEchoTheCsrfToken() {
    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    for (Route route : concat(ADMIN_PAGES, TRAINER_PAGES)) {
      if (route.method() == HttpMethod.GET) {
        continue;
      }
      HttpResponse<Buffer> forged = send(admin.page(route.method(), route.path()).putHeader("HX-Request", "true"), route);
      assertEquals(403, forged.statusCode(), route.toString());
      assertTrue(forged.bodyAsString().contains("CSRF"), forged.bodyAsString());
      HttpResponse<Buffer> wrong = send(admin.page(route.method(), route.path()).putHeader("HX-Request", "true")
        .putHeader("X-CSRF-Token", "x" + admin.csrf), route);
      assertEquals(403, wrong.statusCode(), route.toString());
    }
    HttpResponse<Buffer> apiForged = await(admin.page(HttpMethod.POST, "/api/train/evolve").send());
    assertEquals(403, apiForged.statusCode());
    assertNothingChanged();

    HttpResponse<Buffer> withToken = await(admin.htmx(HttpMethod.POST, "/admin/evolve").send());
    assertEquals(200, withToken.statusCode(), withToken.bodyAsString());
    assertEquals("/admin/prompts?flash=evolved", withToken.getHeader("HX-Redirect"));
    assertEquals(List.of("evolve by " + ADMIN_EMAIL), fakes.adminActions);
  }

  @Test
  void trainingModeOffClosesTheTrainingPagesAndApiButNotAdmin() {
    HttpVerticle closed = new HttpVerticle();
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("db", TestDatabase.pgOptions()).put("webroot", "../../webroot").put("uploads_dir", uploads.toString())
      .put("admin_token", ADMIN_TOKEN).put("admin_emails", ADMIN_EMAIL).put("training_enabled", "false")
      .put("password_iterations", 1_000).put("secure_cookies", false);
    String id = await(vertx.deployVerticle(closed, new DeploymentOptions().setConfig(config)));
    WebClient other = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(closed.actualPort()).setFollowRedirects(false));
    try {
      for (Route route : TRAINER_API) {
        HttpResponse<Buffer> response = send(other.request(route.method(), route.path())
          .putHeader("authorization", "Bearer " + TRAINER_TOKEN), route);
        assertEquals(403, response.statusCode(), route.toString());
        assertEquals("training_disabled", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
      }
      HttpResponse<Buffer> admin = await(other.get("/api/admin/trainers")
        .putHeader("authorization", "Bearer " + ADMIN_ACCOUNT_TOKEN).send());
      assertEquals(200, admin.statusCode());
      HttpResponse<Buffer> login = BrowserSession.submitLogin(other, TRAINER_EMAIL, PASSWORD);
      assertEquals(303, login.statusCode());
      HttpResponse<Buffer> history = await(other.get("/history")
        .putHeader("cookie", "pl_session=" + BrowserSession.cookie(login, "pl_session")).send());
      assertEquals(403, history.statusCode());
      assertTrue(history.bodyAsString().contains("desactivado"), history.bodyAsString());
    } finally {
      other.close();
      await(vertx.undeploy(id));
    }
  }

  private static List<Route> concat(List<Route> a, List<Route> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
