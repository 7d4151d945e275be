package dev.promptlab.http.ui;

import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.RatingActivity;
import dev.promptlab.http.training.EnhanceService;
import dev.promptlab.http.training.ExperimentIds;
import dev.promptlab.http.training.PairService;
import dev.promptlab.http.training.RatingService;
import dev.promptlab.http.training.RetryService;
import dev.promptlab.http.training.StatusService;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import dev.promptlab.http.web.UploadForm;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer page ({@code /}) and its htmx fragments ({@code /ui/*}). Each fragment calls the same
 * training service as its JSON twin and renders that service's JSON through an auto-escaping template.
 */
public final class TrainerPage {

  /** Samples after which phase 1 ends by count (PRODUCT.md); the progress bar's goal. */
  static final int PHASE1_SAMPLES = 50;

  private final Vertx vertx;
  private final long maxUploadBytes;
  private final PageRenderer pages;
  private final EnhanceService enhance;
  private final RatingService rating;
  private final StatusService status;
  private final RetryService retry;
  private final AccountStore accounts;
  private final PairService pairs;

  public TrainerPage(Vertx vertx, long maxUploadBytes, PageRenderer pages, EnhanceService enhance, RatingService rating,
                     StatusService status, RetryService retry, AccountStore accounts, PairService pairs) {
    this.vertx = vertx;
    this.maxUploadBytes = maxUploadBytes;
    this.pages = pages;
    this.enhance = enhance;
    this.rating = rating;
    this.status = status;
    this.retry = retry;
    this.accounts = accounts;
    this.pairs = pairs;
  }

  /** Declares the trainer page and its htmx fragments' routes, each for trainers only. */
  public void mount(Router router, AccessGuard guard) {
    router.get("/").handler(guard::trainer).handler(this::page);
    router.get("/ui/status").handler(guard::trainer).handler(this::status);
    router.post("/ui/enhance").handler(guard::trainer).handler(this::enhance);
    router.post("/ui/rate").handler(guard::trainer).handler(this::rate);
    router.post("/ui/retry").handler(guard::trainer).handler(this::retry);
    router.post("/ui/mode").handler(guard::trainer).handler(this::mode);
    router.get("/ui/experiment").handler(guard::trainer).handler(this::experiment);
    router.post("/ui/skip").handler(guard::trainer).handler(this::skip);
  }

  /**
   * {@code GET /}: status panel, upload (picker or drag-and-drop), the work area; the mode selector opens on the
   * mode the trainer last chose.
   */
  public void page(RoutingContext ctx) {
    Principal caller = AccessGuard.principal(ctx);
    Future<String> mode = caller == null || caller.trainerId() == null
      ? Future.succeededFuture(ParameterSpace.MODES.get(0))
      : accounts.trainingMode(caller.trainerId()).map(chosen -> chosen.orElse(ParameterSpace.MODES.get(0)));
    String reopen = ctx.request().getParam("experiment");
    mode.map(chosen -> {
      Map<String, Object> view = new HashMap<>();
      view.put("mode", chosen);
      // A pair taken up again from the history loads into the work area once the page is up.
      if (reopen != null && ExperimentIds.valid(reopen)) {
        view.put("reopen", reopen);
      }
      return pages.render(ctx, "trainer", view);
    })
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /**
   * {@code POST /ui/mode} (form: mode): remembers the trainer's mode, so the page opens on it next time. The
   * operator token has no account to remember it for; its choice lives in the page alone.
   */
  public void mode(RoutingContext ctx) {
    String mode = field(ctx, "mode");
    if (!ParameterSpace.isMode(mode)) {
      ctx.fail(ApiError.badRequest("mode must be one of " + String.join(", ", ParameterSpace.MODES))
        .withMessageKey("mode_invalid"));
      return;
    }
    Principal caller = AccessGuard.principal(ctx);
    Future<Void> saved = caller.trainerId() == null ? Future.succeededFuture()
      : accounts.setTrainingMode(caller.trainerId(), mode);
    saved.onSuccess(done -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** {@code GET /ui/status?mode=}: the status panel, with the caller's own ratings today and in all beside the team's. */
  public void status(RoutingContext ctx) {
    Future<JsonObject> study = status.status(ctx.request().getParam("mode", "structure"));
    Future<RatingActivity> activity = accounts.ratingActivity(AccessGuard.principal(ctx).name());
    Future.all(study, activity).map(all -> {
      JsonObject json = study.result();
      int samples = json.getJsonObject("phase_1").getInteger("samples_collected");
      Double convergence = json.getJsonObject("phase_1").getDouble("convergence");
      Map<String, Object> view = new HashMap<>();
      view.put("s", ViewModels.of(json));
      view.put("target", PHASE1_SAMPLES);
      view.put("progress", Math.min(samples, PHASE1_SAMPLES));
      view.put("convergence_percent", convergence == null ? null : Math.round(convergence * 100));
      view.put("activity", activity.result());
      return pages.render(ctx, "status", view);
    }).onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /**
   * {@code POST /ui/enhance} (multipart): the original and both variants side by side with the rating form.
   * When no variant could be generated the experiment is still shown (with the error above it and a retry
   * button per variant), answered with the error's status.
   */
  public void enhance(RoutingContext ctx) {
    UploadForm.read(vertx, ctx, maxUploadBytes)
      .compose(enhance::enhance)
      .map(json -> pages.render(ctx, "experiment", experimentView(json)))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html))
      .onFailure(failure -> {
        if (failure instanceof ApiError error && error.details() != null
          && error.details().getString("experiment_id") != null) {
          failedExperiment(ctx, error);
        } else {
          ctx.fail(failure);
        }
      });
  }

  private void failedExperiment(RoutingContext ctx, ApiError error) {
    String html;
    try {
      Map<String, Object> view = experimentView(error.details());
      view.put("failure_message", error.getMessage());
      html = pages.render(ctx, "experiment", view);
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    PageRenderer.send(ctx, error.status(), html);
  }

  /** {@code GET /ui/experiment?id=}: an unrated pair of the caller's, taken up again (from the history). */
  public void experiment(RoutingContext ctx) {
    pairs.reopen(ctx.request().getParam("id"), AccessGuard.principal(ctx))
      .map(json -> pages.render(ctx, "experiment", experimentView(json)))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html))
      .onFailure(ctx::fail);
  }

  /** {@code POST /ui/skip} (form: experiment_id, skip_reason): the unrated pair set aside with a reason. */
  public void skip(RoutingContext ctx) {
    String reason = field(ctx, "skip_reason");
    pairs.skip(field(ctx, "experiment_id"), reason, AccessGuard.principal(ctx))
      .map(done -> pages.render(ctx, "skipped", Map.of("reason", reason)))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html))
      .onFailure(ctx::fail);
  }

  /** {@code POST /ui/retry} (form: experiment_id, option): one failed variant generated again. */
  public void retry(RoutingContext ctx) {
    retry.retry(field(ctx, "experiment_id"), field(ctx, "option"), AccessGuard.principal(ctx))
      .map(json -> pages.render(ctx, "variant", Map.of("o", ViewModels.of(json),
        "experiment_id", field(ctx, "experiment_id"), "position", position(field(ctx, "position")))))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html))
      .onFailure(ctx::fail);
  }

  /**
   * {@code POST /ui/rate} (form): the same validation and transaction as {@code POST /api/train/rate}. A variant
   * shown without a rating is refused here first, with the page's own message rather than the API's.
   */
  public void rate(RoutingContext ctx) {
    JsonObject submission = submission(ctx);
    boolean unrated = submission.getJsonArray("ratings").stream()
      .anyMatch(entry -> ((JsonObject) entry).getValue("rating") == null);
    if (unrated) {
      ctx.fail(ApiError.badRequest("every variant shown needs a rating from 1 to 5").withMessageKey("rating_missing"));
      return;
    }
    rating.rate(submission, AccessGuard.principal(ctx), false)
      .map(json -> pages.render(ctx, "rated", Map.of("r", ViewModels.of(json))))
      .onSuccess(html -> {
        // Tells the status panel (hx-trigger="ratings-saved from:body") to refresh itself.
        ctx.response().putHeader("HX-Trigger", "ratings-saved");
        PageRenderer.send(ctx, 200, html);
      })
      .onFailure(ctx::fail);
  }

  /**
   * The experiment with its options in display order. Left/right placement is randomised per
   * experiment (people favour one side), stable for the same experiment.
   */
  static Map<String, Object> experimentView(JsonObject json) {
    Map<String, Object> view = new HashMap<>();
    Map<String, Object> experiment = ViewModels.of(json);
    @SuppressWarnings("unchecked")
    List<Object> options = new ArrayList<>((List<Object>) experiment.get("options"));
    if (swapped(json.getString("experiment_id"))) {
      java.util.Collections.reverse(options);
    }
    view.put("e", experiment);
    view.put("columns", options);
    view.put("skip_reasons", PairService.SKIP_REASONS);
    return view;
  }

  /** The position a re-rendered variant keeps on screen (1 or 2); anything else falls back to the first. */
  static int position(String text) {
    return "2".equals(text) ? 2 : 1;
  }

  static boolean swapped(String experimentId) {
    return experimentId != null && (Integer.rotateRight(experimentId.hashCode(), 7) & 1) == 1;
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
}
