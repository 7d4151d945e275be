package dev.promptlab.http.api;

import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.JsonBodies;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** Admin operations (behind {@code AccessGuard.admin}). */
public final class AdminApi {

  private static final Pattern VERTICLE_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");

  private final Neighbours neighbours;

  public AdminApi(Neighbours neighbours) {
    this.neighbours = neighbours;
  }

  /** {@code POST /api/admin/verticles/:name/redeploy}: asks the launcher to redeploy one verticle. */
  public void redeploy(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !VERTICLE_NAME.matcher(name).matches()) {
      ctx.fail(ApiError.badRequest("the verticle name must be lower-case letters, digits and dashes"));
      return;
    }
    neighbours.redeploy(name)
      .onSuccess(body -> JsonBodies.send(ctx, body))
      .onFailure(ctx::fail);
  }
}
