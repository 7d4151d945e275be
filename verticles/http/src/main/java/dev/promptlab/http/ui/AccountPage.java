package dev.promptlab.http.ui;

import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.Principal;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** {@code /account}: who is logged in, and API tokens for scripts (shown once, stored as digests). */
public final class AccountPage {

  private final PageRenderer pages;
  private final AccountStore accounts;

  public AccountPage(PageRenderer pages, AccountStore accounts) {
    this.pages = pages;
    this.accounts = accounts;
  }

  public void page(RoutingContext ctx) {
    pages.page(ctx, "account", Map.of());
  }

  /** {@code POST /account/tokens} (form: name): fragment with the new token. */
  public void issueToken(RoutingContext ctx) {
    Principal principal = AccessGuard.principal(ctx);
    String name = ctx.request().getFormAttribute("name");
    if (principal.trainerId() == null) {
      ctx.fail(ApiError.badRequest("the admin token cannot issue account tokens"));
      return;
    }
    if (name == null || name.isBlank() || name.strip().length() > 100) {
      ctx.fail(ApiError.badRequest("give the token a name of 1 to 100 characters"));
      return;
    }
    accounts.issueApiToken(principal.trainerId(), name.strip())
      .map(token -> pages.render(ctx, "token", Map.of("token", token, "name", name.strip())))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }
}
