package dev.promptlab.http.api;

import dev.promptlab.http.web.ApiError;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * {@code GET /metrics} in the Prometheus text format. Unlike the stock {@code PrometheusScrapingHandler}
 * the scrape runs on a worker: rendering every meter (and, the first time, loading the exporter's
 * classes) takes long enough to stall an event loop.
 */
public final class MetricsScrape {

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;

  public MetricsScrape(Vertx vertx) {
    this.vertx = vertx;
  }

  public void scrape(RoutingContext ctx) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      ctx.fail(ApiError.unavailable("Prometheus metrics are not enabled in this Vert.x instance"));
      return;
    }
    vertx.executeBlocking(prometheus::scrape, false)
      .onSuccess(text -> ctx.response().putHeader("content-type", CONTENT_TYPE).end(text))
      .onFailure(ctx::fail);
  }
}
