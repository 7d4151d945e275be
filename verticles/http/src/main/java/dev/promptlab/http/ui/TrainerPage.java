package dev.promptlab.http.ui;

import dev.promptlab.http.training.EnhanceService;
import dev.promptlab.http.training.RatingService;
import dev.promptlab.http.training.StatusService;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.FailureResponder;
import dev.promptlab.http.web.UploadForm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The htmx fragments of the trainer page ({@code /ui/*}). Each one calls the same training service
 * as its JSON twin and renders that service's JSON through an auto-escaping template.
 */
public final class TrainerPage {

  /** Samples after which phase 1 ends by count (PRODUCT.md); the progress bar's goal. */
  static final int PHASE1_SAMPLES = 50;

  private final Vertx vertx;
  private final long maxUploadBytes;
  private final Templates templates;
  private final Messages messages;
  private final EnhanceService enhance;
  private final RatingService rating;
  private final StatusService status;

  public TrainerPage(Vertx vertx, long maxUploadBytes, Templates templates, Messages messages, EnhanceService enhance,
                     RatingService rating, StatusService status) {
    this.vertx = vertx;
    this.maxUploadBytes = maxUploadBytes;
    this.templates = templates;
    this.messages = messages;
    this.enhance = enhance;
    this.rating = rating;
    this.status = status;
  }

  /** {@code GET /ui/app}: the page body (header, status panel, upload form). */
  public void app(RoutingContext ctx) {
    send(ctx, 200, render(ctx, "app", Map.of()));
  }

  /** {@code GET /ui/status?mode=}: the status panel. */
  public void status(RoutingContext ctx) {
    status.status(ctx.request().getParam("mode", "structure")).map(json -> {
      int samples = json.getJsonObject("phase_1").getInteger("samples_collected");
      Double convergence = json.getJsonObject("phase_1").getDouble("convergence");
      Map<String, Object> view = new HashMap<>();
      view.put("s", ViewModels.of(json));
      view.put("target", PHASE1_SAMPLES);
      view.put("progress", Math.min(samples, PHASE1_SAMPLES));
      view.put("convergence_percent", convergence == null ? null : Math.round(convergence * 100));
      return render(ctx, "status", view);
    }).onSuccess(html -> send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /** {@code POST /ui/enhance} (multipart): both variants side by side with the rating form. */
  public void enhance(RoutingContext ctx) {
    UploadForm.read(vertx, ctx, maxUploadBytes)
      .compose(enhance::enhance)
      .map(json -> render(ctx, "experiment", Map.of("e", ViewModels.of(json))))
      .onSuccess(html -> send(ctx, 200, html))
      .onFailure(ctx::fail);
  }

  /** {@code POST /ui/rate} (form): the same validation and transaction as {@code POST /api/train/rate}. */
  public void rate(RoutingContext ctx) {
    rating.rate(submission(ctx), AccessGuard.principal(ctx))
      .map(json -> render(ctx, "rated", Map.of("r", ViewModels.of(json))))
      .onSuccess(html -> {
        // Tells the status panel (hx-trigger="ratings-saved from:body") to refresh itself.
        ctx.response().putHeader("HX-Trigger", "ratings-saved");
        send(ctx, 200, html);
      })
      .onFailure(ctx::fail);
  }

  /** Failures of {@code /ui/*}: an HTML message shown above the forms, which stay as they were. */
  public void failure(RoutingContext ctx) {
    ApiError error = FailureResponder.classify(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Map<String, Object> view = new HashMap<>();
    view.put("summary_key", summaryKey(error.code()));
    view.put("message", error.getMessage());
    String html;
    try {
      html = render(ctx, "error", view);
    } catch (RuntimeException e) {
      FailureResponder.respond(ctx);
      return;
    }
    ctx.response().putHeader("HX-Retarget", "#messages").putHeader("HX-Reswap", "innerHTML");
    send(ctx, error.status(), html);
  }

  /** The rating form as the API's JSON body: options without a rating input (failed ones) are left out. */
  static JsonObject submission(RoutingContext ctx) {
    JsonArray ratings = new JsonArray();
    for (String option : List.of("A", "B")) {
      String stars = field(ctx, "rating_" + option);
      String image = field(ctx, "image_id_" + option);
      if (stars == null && image == null) {
        continue;
      }
      JsonObject entry = new JsonObject().put("option", option).put("rating", number(stars));
      if (image != null) {
        entry.put("image_id", number(image));
      }
      String comment = field(ctx, "comments_" + option);
      if (comment != null) {
        entry.put("comments", comment);
      }
      ratings.add(entry);
    }
    return new JsonObject().put("experiment_id", field(ctx, "experiment_id")).put("ratings", ratings);
  }

  private static String field(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A whole number when the text is one; otherwise the text itself, which validation then refuses by name. */
  private static Object number(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static String summaryKey(String code) {
    return switch (code) {
      case "invalid_request", "not_found", "conflict", "unsupported_media", "too_large", "provider_failed",
           "provider_unavailable", "storage_failed", "unavailable", "timeout" -> "error_" + code;
      default -> "error_other";
    };
  }

  private String render(RoutingContext ctx, String template, Map<String, Object> data) {
    String lang = Language.of(ctx);
    Map<String, Object> view = new HashMap<>(data);
    view.put("t", messages.of(lang));
    view.put("lang", lang);
    return templates.render(template, view);
  }

  private static void send(RoutingContext ctx, int statusCode, String html) {
    ctx.response().setStatusCode(statusCode)
      .putHeader("content-type", "text/html; charset=utf-8")
      .putHeader("cache-control", "no-store")
      .putHeader("vary", "HX-Request, Cookie")
      .end(html);
  }
}
