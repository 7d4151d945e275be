package dev.promptlab.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document of {@code /api/v1} describes exactly the routes the http verticle mounts (both ways), and is
 * a valid OpenAPI 3.1 document.
 */
@ExtendWith(BlockedThreadGuard.class)
class OpenApiDocumentTest {

  // The validator compiles the OpenAPI meta-schemas on an event loop the first time, seconds on a loaded machine: that
  // is the test's tool at work, not the server's code, so this Vert.x alone does not hold it to the loop's budget.
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(60)
    .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
  private final OpenApiDocument document = OpenApiDocument.load();

  @AfterEach
  void close() {
    Await.await(vertx.close(), 30);
  }

  @Test
  void everyDocumentedOperationIsAMountedRouteAndEveryMountedRouteIsDocumented() {
    Router router = Router.router(vertx);
    ApiV1Routes.mount(router, ApiV1Routes.routes(new TextoptApi(vertx, null), document), ctx -> ctx.next());
    Set<String> mounted = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      assertTrue(route.getPath().startsWith(ApiV1Routes.PREFIX), route.getPath());
      route.methods().forEach(method -> mounted.add(method.name() + " " + ApiV1Routes.openApiPath(route.getPath())));
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = document.json().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (!"parameters".equals(key)) {
          documented.add(key.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    assertEquals(15, mounted.size(), mounted.toString());
    assertEquals(mounted, documented);
  }

  @Test
  void theDocumentIsValidOpenApiAndEveryOperationSaysWhatItDoesInBothLanguages() {
    JsonObject json = document.json();
    // A copy: reading a contract resolves its references in the object it is given.
    assertNotNull(Await.await(OpenAPIContract.from(vertx, document.json()), 30), "vertx-openapi reads and validates it");
    assertEquals("3.1.0", json.getString("openapi"));
    JsonObject paths = json.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if ("parameters".equals(method)) {
          continue;
        }
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        String where = method + " " + path;
        assertNotNull(operation.getString("operationId"), where);
        assertNotNull(operation.getString("summary"), where);
        assertNotNull(operation.getString("x-summary-es"), where);
        assertTrue(operation.getJsonObject("responses").containsKey("401"), where + " answers 401 without a caller");
      }
    }
  }
}
