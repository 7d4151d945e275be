package dev.promptlab.http.ui;

import dev.promptlab.contract.AbTest;
import dev.promptlab.contract.AbTests;
import dev.promptlab.contract.EvolutionRuns;
import dev.promptlab.contract.PromptVersionSummary;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardModels;
import dev.promptlab.contract.RewardStatus;
import dev.promptlab.http.accounts.AccountService;
import dev.promptlab.http.admin.AdminService;
import dev.promptlab.http.web.AccessGuard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin pages: overview (studies, phase-1 override, evolution, verticles), trainers, prompt
 * versions (performance, diff, promote, roll back, A/B tests, evolutions), the reward model (models, calibration,
 * retrain). Actions answer with a
 * redirect back to their page carrying a known flash key.
 */
public final class AdminPages {

  private static final Set<String> FLASHES = Set.of("trainer_added", "trainer_disabled", "trainer_enabled", "promoted",
    "rolled_back", "evolved", "phase1", "phase1_reopened", "redeployed", "trainer_renamed", "retrained");

  private final PageRenderer pages;
  private final AdminService admin;
  private final AccountService accounts;
  private final PageFlow flow;

  public AdminPages(PageRenderer pages, AdminService admin, AccountService accounts) {
    this.pages = pages;
    this.admin = admin;
    this.accounts = accounts;
    this.flow = new PageFlow(pages, FLASHES);
  }

  /** Declares the admin pages' routes, each for admins only. */
  public void mount(Router router, AccessGuard guard) {
    router.get("/admin").handler(guard::admin).handler(this::overview);
    router.get("/admin/trainers").handler(guard::admin).handler(this::trainers);
    router.get("/admin/prompts").handler(guard::admin).handler(this::prompts);
    router.get("/admin/prompts/diff").handler(guard::admin).handler(this::diff);
    router.get("/admin/prompts/text").handler(guard::admin).handler(this::promptText);
    router.get("/admin/reward").handler(guard::admin).handler(this::reward);
    router.post("/admin/*").handler(guard::admin);
    router.post("/admin/trainers").handler(this::addTrainer);
    router.post("/admin/trainers/:id/disable").handler(this::disableTrainer);
    router.post("/admin/trainers/:id/enable").handler(this::enableTrainer);
    router.post("/admin/trainers/:id/name").handler(this::renameTrainer);
    router.post("/admin/trainers/:id/password-reset").handler(this::issueReset);
    router.post("/admin/reward/retrain").handler(this::retrain);
    router.post("/admin/prompts/promote").handler(this::promote);
    router.post("/admin/prompts/rollback").handler(this::rollback);
    router.post("/admin/evolve").handler(this::evolve);
    router.post("/admin/phase1").handler(this::phase1);
    router.post("/admin/verticles/:name/redeploy").handler(this::redeploy);
  }

  /** {@code POST /admin/trainers/:id/password-reset}: fragment with the one-time link, shown once. */
  public void issueReset(RoutingContext ctx) {
    accounts.issueReset(ctx.pathParam("id"), AccessGuard.principalName(ctx))
      .map(reset -> pages.render(ctx, "reset-link", Map.of("reset_url",
        // The address the admin reached this site by, so the link works from where they send it.
        java.net.URI.create(ctx.request().absoluteURI()).resolve(reset.path()).toString(), "expires_at", AccountPage.when(reset.expiresAt()))))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /** Studies, the running A/B test, today's rating activity per trainer, prompt evolution, verticles. */
  public void overview(RoutingContext ctx) {
    Future<JsonObject> overview = admin.overview();
    Future<AbTests> tests = admin.abTests().otherwiseEmpty();
    Future<JsonArray> trainers = admin.trainers();
    render(ctx, "admin", Future.all(overview, tests, trainers).map(all -> {
      Map<String, Object> view = new HashMap<>();
      view.put("o", ViewModels.of(overview.result()));
      view.put("running_tests", tests.result() == null ? null : ViewModels.of(new JsonArray(tests.result().abTests()
        .stream().filter(t -> "running".equals(t.status())).map(AbTest::toJson).toList())));
      long today = trainers.result().stream().mapToLong(t -> ((JsonObject) t).getLong("ratings_today")).sum();
      view.put("team_today", today);
      view.put("trainers", ViewModels.of(trainers.result()));
      return view;
    }));
  }

  public void trainers(RoutingContext ctx) {
    render(ctx, "admin-trainers", admin.trainers().map(list -> Map.of("trainers", ViewModels.of(list))));
  }

  public void prompts(RoutingContext ctx) {
    Future<PromptVersions> versions = admin.versions().otherwiseEmpty();
    Future<AbTests> tests = admin.abTests().otherwiseEmpty();
    Future<EvolutionRuns> evolutions = admin.evolutions().otherwiseEmpty();
    render(ctx, "admin-prompts", Future.all(versions, tests, evolutions).map(all -> {
      Map<String, Object> view = new HashMap<>();
      List<PromptVersionSummary> list = versions.result() == null ? null : versions.result().versions();
      view.put("versions", list == null ? null : ViewModels.of(versions.result().toJson().getJsonArray("versions")));
      if (list != null && !list.isEmpty()) {
        PromptVersionSummary newest = list.stream()
          .max(java.util.Comparator.comparing(PromptVersionSummary::version, AdminPages::compareVersions))
          .orElseThrow();
        list.stream().filter(PromptVersionSummary::isCurrent).findFirst().ifPresent(current -> {
          view.put("current", ViewModels.of(current.toJson()));
          // The diff opens on the question of the moment: what a newer candidate changes, else what the
          // current version changed from its parent.
          boolean candidate = !newest.version().equals(current.version());
          view.put("diff_from", candidate || current.parentVersion() == null ? current.version()
            : current.parentVersion());
          view.put("diff_to", candidate ? newest.version() : current.version());
        });
      }
      view.put("ab_tests", tests.result() == null ? null : ViewModels.of(tests.result().toJson()));
      view.put("evolutions", evolutions.result() == null ? null : ViewModels.of(evolutions.result().toJson()));
      return view;
    }));
  }

  /**
   * Phase 2: the reward model's state, the calibration of the model in use (the active one, else the newest that was
   * judged), every trained model with its held-out figures, and the retrain button. Without an answer from the
   * reward verticle the page still renders and says so.
   */
  public void reward(RoutingContext ctx) {
    Future<RewardStatus> status = admin.rewardStatus().otherwiseEmpty();
    Future<RewardModels> models = admin.rewardModels().otherwiseEmpty();
    render(ctx, "admin-reward", Future.all(status, models).map(all -> {
      Map<String, Object> view = new HashMap<>();
      view.put("status", status.result() == null ? null : ViewModels.of(status.result().toJson()));
      List<RewardModelSummary> list = models.result() == null ? List.of() : models.result().models();
      view.put("models", ViewModels.of(new RewardModels(list).toJson().getJsonArray("models")));
      list.stream().filter(RewardModelSummary::active).findFirst()
        .or(() -> list.stream().filter(m -> !m.calibration().isEmpty()).findFirst())
        .ifPresent(shown -> {
          view.put("calibrated", ViewModels.of(shown.toJson()));
          view.put("calibration", Charts.calibration(shown.calibration(),
            java.util.Locale.forLanguageTag(Language.of(ctx))));
        });
      return view;
    }));
  }

  /** {@code POST /admin/reward/retrain}: trains a model now (seconds on thousands of ratings), then back. */
  public void retrain(RoutingContext ctx) {
    done(ctx, admin.retrainReward(AccessGuard.principalName(ctx)), "/admin/reward", "retrained");
  }

  /** {@code GET /admin/prompts/text?version=}: fragment with the version's full prompt texts and settings. */
  public void promptText(RoutingContext ctx) {
    admin.version(ctx.request().getParam("version"))
      .map(document -> pages.render(ctx, "prompt-text", Map.of("v", ViewModels.of(document.toJson()))))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /** {@code GET /admin/prompts/diff?from&to}: fragment. */
  public void diff(RoutingContext ctx) {
    admin.diff(ctx.request().getParam("from"), ctx.request().getParam("to"))
      .map(diff -> pages.render(ctx, "diff", Map.of("d", ViewModels.of(diff.toJson()))))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  public void addTrainer(RoutingContext ctx) {
    done(ctx, admin.addTrainer(form(ctx, "email"), ctx.request().getFormAttribute("password"),
      form(ctx, "display_name"), AccessGuard.principalName(ctx)), "/admin/trainers", "trainer_added");
  }

  public void disableTrainer(RoutingContext ctx) {
    done(ctx, admin.setDisabled(ctx.pathParam("id"), true), "/admin/trainers", "trainer_disabled");
  }

  public void renameTrainer(RoutingContext ctx) {
    done(ctx, admin.rename(ctx.pathParam("id"), form(ctx, "display_name")), "/admin/trainers", "trainer_renamed");
  }

  public void enableTrainer(RoutingContext ctx) {
    done(ctx, admin.setDisabled(ctx.pathParam("id"), false), "/admin/trainers", "trainer_enabled");
  }

  public void promote(RoutingContext ctx) {
    done(ctx, admin.promote(form(ctx, "version"), AccessGuard.principalName(ctx), form(ctx, "reason")),
      "/admin/prompts", "promoted");
  }

  public void rollback(RoutingContext ctx) {
    done(ctx, admin.rollback(form(ctx, "version"), AccessGuard.principalName(ctx)), "/admin/prompts", "rolled_back");
  }

  public void evolve(RoutingContext ctx) {
    done(ctx, admin.evolve(AccessGuard.principalName(ctx)), "/admin/prompts", "evolved");
  }

  public void phase1(RoutingContext ctx) {
    boolean complete = !"false".equals(form(ctx, "complete"));
    done(ctx, admin.phase1(form(ctx, "mode"), complete), "/admin", complete ? "phase1" : "phase1_reopened");
  }

  public void redeploy(RoutingContext ctx) {
    done(ctx, admin.redeploy(ctx.pathParam("name")), "/admin", "redeployed");
  }

  private void render(RoutingContext ctx, String template, Future<Map<String, Object>> data) {
    flow.render(ctx, template, data);
  }

  /** After an action: back to {@code page} with the flash (htmx follows {@code HX-Redirect}, forms a 303). */
  private static void done(RoutingContext ctx, Future<?> action, String page, String flash) {
    PageFlow.redirect(ctx, action, result -> page + "?flash=" + flash);
  }

  /** Orders version names like v1.10.0 after v1.9.3 (number by number, not as text). */
  static int compareVersions(String a, String b) {
    String[] x = a.substring(1).split("\\.");
    String[] y = b.substring(1).split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int order = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static String form(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
