package dev.promptlab.http.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Every route of {@code /api/v1}, mounted from one list so that the OpenAPI document ({@link OpenApiDocument}) can be
 * held to exactly these routes by a test. Each needs a logged-in caller or an API token, as the rest of
 * {@code /api} does.
 */
public final class ApiV1Routes {

  /** The path prefix of the text-prompt platform's API. */
  public static final String PREFIX = "/api/v1";
  /** The upload route: its body is a multipart file, limited like the other uploads. */
  public static final String DATASET_UPLOAD = PREFIX + "/datasets";

  /** One route: method, path in the router's form ({@code :id}) and what answers it. */
  public record Route(HttpMethod method, String path, Handler<RoutingContext> handler) {
  }

  private ApiV1Routes() {
  }

  public static List<Route> routes(TextoptApi textopt, OpenApiDocument document) {
    return List.of(
      new Route(HttpMethod.GET, PREFIX + "/openapi.json", document::serve),
      new Route(HttpMethod.POST, DATASET_UPLOAD, textopt::createDataset),
      new Route(HttpMethod.GET, PREFIX + "/datasets", textopt::datasets),
      new Route(HttpMethod.GET, PREFIX + "/datasets/:id", textopt::dataset),
      new Route(HttpMethod.POST, PREFIX + "/prompts", textopt::createPrompt),
      new Route(HttpMethod.GET, PREFIX + "/prompts", textopt::prompts),
      new Route(HttpMethod.GET, PREFIX + "/prompts/:id", textopt::prompt),
      new Route(HttpMethod.PUT, PREFIX + "/prompts/:id", textopt::updatePrompt),
      new Route(HttpMethod.DELETE, PREFIX + "/prompts/:id", textopt::deletePrompt),
      new Route(HttpMethod.GET, PREFIX + "/prompts/:id/versions", textopt::promptVersions),
      new Route(HttpMethod.POST, PREFIX + "/runs", textopt::createRun),
      new Route(HttpMethod.GET, PREFIX + "/runs", textopt::runs),
      new Route(HttpMethod.GET, PREFIX + "/runs/:id", textopt::run),
      new Route(HttpMethod.POST, PREFIX + "/runs/:id/cancel", textopt::cancelRun),
      new Route(HttpMethod.POST, PREFIX + "/runs/:id/promote", textopt::promoteRun));
  }

  /** Mounts {@code routes}, each behind {@code caller} (the role check). */
  public static void mount(Router router, List<Route> routes, Handler<RoutingContext> caller) {
    for (Route route : routes) {
      router.route(route.method(), route.path()).handler(caller).handler(route.handler());
    }
  }

  /** The OpenAPI form of a router path: {@code /prompts/:id} is {@code /prompts/{id}}. */
  public static String openApiPath(String routerPath) {
    return routerPath.replaceAll(":([A-Za-z_]+)", "{$1}");
  }
}
