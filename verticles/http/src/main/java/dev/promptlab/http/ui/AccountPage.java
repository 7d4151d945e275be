package dev.promptlab.http.ui;

import dev.promptlab.http.accounts.AccountService;
import dev.promptlab.http.accounts.ApiToken;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /account}: who is logged in, changing the password, and the account's API tokens for scripts
 * (listed without their secrets, issued with an expiry and shown once, revoked). Failures come back as
 * messages in the page's language through the failure handler of HTML routes.
 */
public final class AccountPage {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  private final PageRenderer pages;
  private final AccountService accounts;

  public AccountPage(PageRenderer pages, AccountService accounts) {
    this.pages = pages;
    this.accounts = accounts;
  }

  /** Declares the account page's routes, for any signed-in account. */
  public void mount(Router router, AccessGuard guard) {
    router.get("/account").handler(guard::member).handler(this::page);
    router.get("/account/tokens").handler(guard::member).handler(this::tokenList);
    router.post("/account/tokens").handler(guard::member).handler(this::issueToken);
    router.post("/account/tokens/:id/revoke").handler(guard::member).handler(this::revokeToken);
    router.post("/account/password").handler(guard::member).handler(this::changePassword);
  }

  /** {@code GET /account}. */
  public void page(RoutingContext ctx) {
    Principal principal = AccessGuard.principal(ctx);
    Future<List<ApiToken>> tokens = principal.trainerId() == null ? Future.succeededFuture(List.of())
      : accounts.tokens(principal.trainerId());
    tokens.map(list -> {
      Map<String, Object> view = new HashMap<>();
      view.put("tokens", rows(list));
      view.put("max_days", accounts.maxTokenDays());
      return pages.render(ctx, "account", view);
    }).onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /** {@code GET /account/tokens}: the list fragment (refreshed after a token is issued). */
  public void tokenList(RoutingContext ctx) {
    sendList(ctx, accounts.tokens(AccessGuard.principal(ctx).trainerId()));
  }

  /** {@code POST /account/tokens} (form: name, expires_in_days): fragment with the new token. */
  public void issueToken(RoutingContext ctx) {
    accounts.issueToken(AccessGuard.principal(ctx).trainerId(), ctx.request().getFormAttribute("name"),
        ctx.request().getFormAttribute("expires_in_days"))
      .map(token -> pages.render(ctx, "token", Map.of("token", token.token(), "name", token.name())))
      .onSuccess(html -> {
        ctx.response().putHeader("HX-Trigger", "tokens-changed");
        PageRenderer.send(ctx, 200, html);
      }).onFailure(ctx::fail);
  }

  /** {@code POST /account/tokens/:id/revoke}: the list fragment without it. */
  public void revokeToken(RoutingContext ctx) {
    Long trainerId = AccessGuard.principal(ctx).trainerId();
    sendList(ctx, accounts.revokeToken(trainerId, ctx.pathParam("id")).compose(done -> accounts.tokens(trainerId)));
  }

  /** {@code POST /account/password} (form: current_password, new_password); the caller's session stays. */
  public void changePassword(RoutingContext ctx) {
    Principal principal = AccessGuard.principal(ctx);
    Cookie session = ctx.request().getCookie(AccessGuard.SESSION_COOKIE);
    accounts.changePassword(principal.trainerId(), principal.email(), ctx.request().getFormAttribute("current_password"),
        ctx.request().getFormAttribute("new_password"), session == null ? null : session.getValue(),
        AccessGuard.clientAddress(ctx))
      .map(done -> pages.render(ctx, "notice", Map.of("notice_key", "password_changed")))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  private void sendList(RoutingContext ctx, Future<List<ApiToken>> tokens) {
    tokens.map(list -> pages.render(ctx, "token-list", Map.of("tokens", rows(list))))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  private static List<Map<String, Object>> rows(List<ApiToken> tokens) {
    return tokens.stream().map(token -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", token.id());
      row.put("name", token.name());
      row.put("created_at", when(token.createdAt()));
      row.put("last_used_at", when(token.lastUsedAt()));
      row.put("expires_at", when(token.expiresAt()));
      row.put("expired", token.expired());
      return row;
    }).toList();
  }

  static String when(OffsetDateTime time) {
    return time == null ? null : WHEN.format(time.atZoneSameInstant(java.time.ZoneOffset.UTC));
  }
}
