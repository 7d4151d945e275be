package dev.promptlab.http.api;

import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.training.TrainingStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;

/**
 * Liveness ({@code /health}: the process is up and this event loop answers) and readiness
 * ({@code /ready}: the database, every neighbour verticle's ping and the prompt store, and on a node of a cluster the
 * cluster's members and which node holds each singleton; 503 with the failing checks otherwise).
 */
public final class Probes {

  private Probes() {
  }

  public static void health(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8")
      .end(new JsonObject().put("status", "UP").encode());
  }

  public static HealthCheckHandler readiness(Vertx vertx, TrainingStore store, Neighbours neighbours,
                                             List<String> verticles, boolean clustered, long timeoutMs) {
    HealthChecks checks = HealthChecks.create(vertx);
    if (clustered) {
      checks.register("cluster", timeoutMs, promise -> neighbours.cluster()
        .onSuccess(cluster -> {
          JsonObject data = cluster.toJson();
          data.remove("expected");
          promise.complete(cluster.unheld().isEmpty() ? Status.OK(data)
            : Status.KO(data.put("reason", "no node holds " + String.join(", ", cluster.unheld()))));
        })
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("reason", reason(failure))))));
    }
    checks.register("database", timeoutMs, promise -> store.ping()
      .onSuccess(ok -> promise.complete(Status.OK()))
      .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("reason", "SELECT 1 failed")))));
    for (String verticle : verticles) {
      checks.register("verticles/" + verticle, timeoutMs, promise -> neighbours.ping(verticle)
        .onSuccess(ok -> promise.complete(Status.OK()))
        .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("reason", reason(failure))))));
    }
    checks.register("prompt-store", timeoutMs, promise -> neighbours.evolutionStatus()
      .compose(status -> status.currentVersion() == null
        ? Future.failedFuture("no current prompt version") : Future.succeededFuture(status))
      .onSuccess(status -> promise.complete(Status.OK(new JsonObject()
        .put("current_version", status.currentVersion()))))
      .onFailure(failure -> promise.complete(Status.KO(new JsonObject().put("reason", reason(failure))))));
    return HealthCheckHandler.createWithHealthChecks(checks);
  }

  private static String reason(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }
}
