package dev.promptlab.http.admin;

import dev.promptlab.contract.AbTests;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionRuns;
import dev.promptlab.contract.PromptVersionDocument;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.VersionDiff;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.JsonBodies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The admin JSON API (behind {@code AccessGuard.admin}); each handler adapts one {@link AdminService} call. */
public final class AdminApi {

  private final AdminService admin;

  public AdminApi(AdminService admin) {
    this.admin = admin;
  }

  /** Declares the admin API's routes; {@code /api/admin/*} is guarded for admins before these are reached. */
  public void mount(Router router) {
    router.get("/api/admin/overview").handler(this::overview);
    router.get("/api/admin/trainers").handler(this::trainers);
    router.post("/api/admin/trainers").handler(this::addTrainer);
    router.post("/api/admin/trainers/:id/disable").handler(this::disableTrainer);
    router.post("/api/admin/trainers/:id/enable").handler(this::enableTrainer);
    router.get("/api/admin/prompts").handler(this::versions);
    router.get("/api/admin/prompts/diff").handler(this::diff);
    router.get("/api/admin/prompts/:version").handler(this::version);
    router.post("/api/admin/prompts/rollback").handler(this::rollback);
    router.post("/api/admin/prompts/:version/promote").handler(this::promote);
    router.get("/api/admin/ab-tests").handler(this::abTests);
    router.get("/api/admin/evolutions").handler(this::evolutions);
    router.post("/api/admin/phase1").handler(this::phase1);
    router.post("/api/admin/verticles/:name/redeploy").handler(this::redeploy);
  }

  public void trainers(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.trainers().map(list -> new JsonObject().put("trainers", list)));
  }

  /** {@code {"email", "password", "display_name"?}}. */
  public void addTrainer(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonBodies.send(ctx, admin.addTrainer(body.getValue("email") instanceof String e ? e : null,
      body.getValue("password") instanceof String p ? p : null,
      body.getValue("display_name") instanceof String n ? n : null, AccessGuard.principalName(ctx)));
  }

  public void disableTrainer(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.setDisabled(ctx.pathParam("id"), true).map(done -> new JsonObject().put("disabled", true)));
  }

  public void enableTrainer(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.setDisabled(ctx.pathParam("id"), false).map(done -> new JsonObject().put("disabled", false)));
  }

  public void versions(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.versions().map(PromptVersions::toJson));
  }

  public void version(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.version(ctx.pathParam("version")).map(PromptVersionDocument::toJson));
  }

  public void diff(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.diff(ctx.request().getParam("from"), ctx.request().getParam("to"))
      .map(VersionDiff::toJson));
  }

  /** {@code {"reason"?}}. */
  public void promote(RoutingContext ctx) {
    JsonObject body = optionalBody(ctx);
    JsonBodies.send(ctx, admin.promote(ctx.pathParam("version"), AccessGuard.principalName(ctx),
      body.getValue("reason") instanceof String r ? r : null));
  }

  /** {@code {"version"?}}: back to that version, or to the one before the current. */
  public void rollback(RoutingContext ctx) {
    JsonObject body = optionalBody(ctx);
    JsonBodies.send(ctx, admin.rollback(body.getValue("version") instanceof String v ? v : null, AccessGuard.principalName(ctx)));
  }

  public void evolve(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.evolve(AccessGuard.principalName(ctx)).map(EvolutionRun::toJson));
  }

  public void abTests(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.abTests().map(AbTests::toJson));
  }

  public void evolutions(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.evolutions().map(EvolutionRuns::toJson));
  }

  /** {@code {"mode", "complete": true|false}}. */
  public void phase1(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonBodies.send(ctx, admin.phase1(body.getValue("mode") instanceof String m ? m : null,
      !Boolean.FALSE.equals(body.getValue("complete"))));
  }

  public void overview(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.overview());
  }

  public void redeploy(RoutingContext ctx) {
    JsonBodies.send(ctx, admin.redeploy(ctx.pathParam("name")));
  }

  /** A body that may be left out: without one the body is absent (length -1), which means {@code {}} too. */
  private static JsonObject optionalBody(RoutingContext ctx) {
    return ctx.body().length() <= 0 ? new JsonObject() : JsonBodies.object(ctx);
  }
}
