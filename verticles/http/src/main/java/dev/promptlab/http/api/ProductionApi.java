package dev.promptlab.http.api;

import dev.promptlab.contract.LearnedParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.ProductionParameters;
import dev.promptlab.contract.ProductionParametersRequest;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.JsonBodies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/production/parameters?mode=&api=}: what a production enhancement should render a mode with on an
 * API — the current prompt version and its parameters (in the provider's names, as the training answers give
 * them), learned by the mode's study once written into the version, else the version's defaults — with where they
 * come from.
 */
public final class ProductionApi {

  private final Neighbours neighbours;

  public ProductionApi(Neighbours neighbours) {
    this.neighbours = neighbours;
  }

  public void parameters(RoutingContext ctx) {
    String mode = ctx.request().getParam("mode");
    String api = ctx.request().getParam("api");
    Future<JsonObject> answer;
    if (!ParameterSpace.isMode(mode)) {
      answer = Future.failedFuture(ApiError.badRequest("mode must be one of " + String.join(", ", ParameterSpace.MODES)));
    } else if (!ParameterSpace.isApi(api)) {
      answer = Future.failedFuture(ApiError.badRequest("api must be one of " + String.join(", ", ParameterSpace.APIS)));
    } else {
      answer = neighbours.productionParameters(new ProductionParametersRequest(mode, api)).map(ProductionApi::body);
    }
    JsonBodies.send(ctx, answer);
  }

  static JsonObject body(ProductionParameters production) {
    JsonObject source = new JsonObject().put("kind", production.source());
    LearnedParameters learned = production.learned();
    if (learned != null) {
      source.put("study", learned.study()).put("samples", learned.samples()).put("ratings", learned.ratings())
        .put("estimated_rating", learned.estimate())
        .put("estimated_rating_interval", new JsonArray().add(learned.lower()).add(learned.upper()))
        .put("observed_average", learned.observedAverage()).put("phase_1_reason", learned.phase1Reason())
        .put("learned_at", learned.learnedAt());
    }
    return new JsonObject().put("mode", production.mode()).put("api", production.parameters().api())
      .put("prompt_version", production.promptVersion()).put("parameters", production.parameters().toSeedJson())
      .put("source", source);
  }
}
