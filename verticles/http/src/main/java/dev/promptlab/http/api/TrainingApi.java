package dev.promptlab.http.api;

import dev.promptlab.http.training.EnhanceService;
import dev.promptlab.http.training.HistoryFilter;
import dev.promptlab.http.training.HistoryService;
import dev.promptlab.http.training.RatingService;
import dev.promptlab.http.training.RetryService;
import dev.promptlab.http.training.StatusService;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.JsonBodies;
import dev.promptlab.http.web.UploadForm;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/** The seed's JSON API of the learning loop; each handler adapts HTTP to one training service. */
public final class TrainingApi {

  private final Vertx vertx;
  private final long maxUploadBytes;
  private final EnhanceService enhance;
  private final RatingService rating;
  private final StatusService status;
  private final HistoryService history;
  private final RetryService retry;

  public TrainingApi(Vertx vertx, long maxUploadBytes, EnhanceService enhance, RatingService rating,
                     StatusService status, HistoryService history, RetryService retry) {
    this.vertx = vertx;
    this.maxUploadBytes = maxUploadBytes;
    this.enhance = enhance;
    this.rating = rating;
    this.status = status;
    this.history = history;
    this.retry = retry;
  }

  /** {@code POST /api/train/experiments/:id/options/:option/retry}: generate a failed variant again. */
  public void retry(RoutingContext ctx) {
    JsonBodies.send(ctx, retry.retry(ctx.pathParam("id"), ctx.pathParam("option"), AccessGuard.principal(ctx)));
  }

  /** {@code POST /api/enhance/train} (multipart). */
  public void enhance(RoutingContext ctx) {
    JsonBodies.send(ctx, UploadForm.read(vertx, ctx, maxUploadBytes).compose(enhance::enhance));
  }

  /** {@code POST /api/train/rate} (seed JSON). */
  public void rate(RoutingContext ctx) {
    JsonBodies.send(ctx, rating.rate(JsonBodies.object(ctx), AccessGuard.principal(ctx),
      AccessGuard.principal(ctx).trainerId() == null));
  }

  /** {@code GET /api/train/status?mode=structure|surfaces}. */
  public void status(RoutingContext ctx) {
    String mode = ctx.request().getParam("mode", "structure");
    JsonBodies.send(ctx, status.status(mode));
  }

  /** {@code GET /api/train/history?limit&min_rating&api&mode&trainer} ({@code trainer}: an admin's filter). */
  public void history(RoutingContext ctx) {
    JsonBodies.send(ctx, history.history(HistoryFilter.parse(ctx.request()::getParam), AccessGuard.principal(ctx),
      blankToNull(ctx.request().getParam("trainer"))));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
