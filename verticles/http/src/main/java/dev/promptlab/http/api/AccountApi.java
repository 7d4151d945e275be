package dev.promptlab.http.api;

import dev.promptlab.http.accounts.AccountService;
import dev.promptlab.http.accounts.ApiToken;
import dev.promptlab.http.accounts.IssuedToken;
import dev.promptlab.http.accounts.PasswordReset;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.JsonBodies;
import dev.promptlab.http.web.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;

/** The account routes of the JSON API; each handler adapts one {@link AccountService} call. */
public final class AccountApi {

  private final AccountService accounts;

  public AccountApi(AccountService accounts) {
    this.accounts = accounts;
  }

  /**
   * Declares the account API's routes: a member's own tokens and password, an admin's reset issued for a trainer, and
   * the password reset, whose reset code is its credential.
   */
  public void mount(Router router, AccessGuard guard) {
    router.get("/api/account/tokens").handler(guard::member).handler(this::tokens);
    router.post("/api/account/tokens").handler(guard::member).handler(this::issueToken);
    router.delete("/api/account/tokens/:id").handler(guard::member).handler(this::revokeToken);
    router.post("/api/account/password").handler(guard::member).handler(this::changePassword);
    router.post("/api/admin/trainers/:id/password-reset").handler(guard::admin).handler(this::issueReset);
    router.post("/api/password-reset").handler(this::resetPassword);
  }

  /** {@code GET /api/account/tokens}: the caller's tokens without their secrets. */
  public void tokens(RoutingContext ctx) {
    JsonBodies.send(ctx, accounts.tokens(caller(ctx).trainerId()).map(list -> {
      JsonArray array = new JsonArray();
      list.forEach(token -> array.add(json(token)));
      return new JsonObject().put("tokens", array).put("max_days", accounts.maxTokenDays());
    }));
  }

  /** {@code POST /api/account/tokens} {@code {"name", "expires_in_days"?}}: the secret, this once. */
  public void issueToken(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonBodies.send(ctx, accounts.issueToken(caller(ctx).trainerId(), body.getValue("name") instanceof String n ? n : null,
      body.getValue("expires_in_days")).map(AccountApi::json));
  }

  /** {@code DELETE /api/account/tokens/:id}. */
  public void revokeToken(RoutingContext ctx) {
    JsonBodies.send(ctx, accounts.revokeToken(caller(ctx).trainerId(), ctx.pathParam("id"))
      .map(done -> new JsonObject().put("revoked", true)));
  }

  /** {@code POST /api/account/password} {@code {"current_password", "new_password"}}; ends every session. */
  public void changePassword(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Principal caller = caller(ctx);
    JsonBodies.send(ctx, accounts.changePassword(caller.trainerId(), caller.email(), text(body, "current_password"),
      text(body, "new_password"), null, AccessGuard.clientAddress(ctx)).map(done -> new JsonObject().put("changed", true)));
  }

  /** {@code POST /api/admin/trainers/:id/password-reset}: a one-time code and the page that takes it. */
  public void issueReset(RoutingContext ctx) {
    JsonBodies.send(ctx, accounts.issueReset(ctx.pathParam("id"), AccessGuard.principalName(ctx)).map(AccountApi::json));
  }

  /** {@code POST /api/password-reset} {@code {"code", "new_password"}} (no credentials: the code is one). */
  public void resetPassword(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonBodies.send(ctx, accounts.resetPassword(text(body, "code"), text(body, "new_password"))
      .map(done -> new JsonObject().put("reset", true)));
  }

  static JsonObject json(ApiToken token) {
    return new JsonObject().put("id", token.id()).put("name", token.name()).put("created_at", instant(token.createdAt()))
      .put("last_used_at", instant(token.lastUsedAt())).put("expires_at", instant(token.expiresAt()))
      .put("expired", token.expired());
  }

  private static JsonObject json(IssuedToken token) {
    return new JsonObject().put("id", token.id()).put("name", token.name()).put("token", token.token())
      .put("expires_at", instant(token.expiresAt()));
  }

  private static JsonObject json(PasswordReset reset) {
    return new JsonObject().put("trainer_id", reset.trainerId()).put("code", reset.code()).put("url", reset.path())
      .put("expires_at", instant(reset.expiresAt()));
  }

  private static String instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  private static String text(JsonObject body, String key) {
    return body.getValue(key) instanceof String s ? s : null;
  }

  private static Principal caller(RoutingContext ctx) {
    return AccessGuard.principal(ctx);
  }
}
