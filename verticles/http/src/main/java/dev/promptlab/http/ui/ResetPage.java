package dev.promptlab.http.ui;

import dev.promptlab.http.accounts.AccountService;
import dev.promptlab.http.accounts.Secrets;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /reset}: a trainer sets a new password with the one-time code an admin issued. No session is
 * needed (the code is the credential); the form carries a double-submit CSRF token like the login form.
 * On success every session of the account ends and the browser goes to the login page.
 */
public final class ResetPage {

  static final String CSRF_COOKIE = "pl_reset_csrf";

  private final PageRenderer pages;
  private final AccountService accounts;
  private final boolean secureCookies;

  public ResetPage(PageRenderer pages, AccountService accounts, boolean secureCookies) {
    this.pages = pages;
    this.accounts = accounts;
    this.secureCookies = secureCookies;
  }

  /** {@code GET /reset?code=}. */
  public void form(RoutingContext ctx) {
    show(ctx, 200, null, ctx.request().getParam("code"));
  }

  /** {@code POST /reset} (form: code, new_password, _csrf). */
  public void reset(RoutingContext ctx) {
    String code = ctx.request().getFormAttribute("code");
    Cookie csrf = ctx.request().getCookie(CSRF_COOKIE);
    if (csrf == null || !Secrets.same(csrf.getValue(), ctx.request().getFormAttribute(AccessGuard.CSRF_FIELD))) {
      show(ctx, 403, "reset_stale", code);
      return;
    }
    accounts.resetPassword(code, ctx.request().getFormAttribute("new_password"))
      .onSuccess(done -> {
        ctx.response().addCookie(cookie("", 0));
        ctx.response().setStatusCode(303).putHeader("location", "/login?reset=done").end();
      })
      .onFailure(failure -> {
        if (failure instanceof ApiError error && error.messageKey() != null && error.status() < 500) {
          show(ctx, error.status(), error.messageKey(), code);
        } else {
          ctx.fail(failure);
        }
      });
  }

  private void show(RoutingContext ctx, int status, String errorKey, String code) {
    String csrf = Secrets.newToken();
    ctx.response().addCookie(cookie(csrf, 3600));
    // The code is in this page's address: tell the browser not to pass it on.
    ctx.response().putHeader("referrer-policy", "no-referrer");
    Map<String, Object> view = new HashMap<>();
    view.put("reset_csrf", csrf);
    view.put("code", code == null || code.length() > 100 ? "" : code);
    view.put("error_key", errorKey);
    PageRenderer.send(ctx, status, pages.render(ctx, "reset", view));
  }

  private Cookie cookie(String value, long maxAgeSeconds) {
    return Cookie.cookie(CSRF_COOKIE, value).setPath("/reset").setHttpOnly(true).setSecure(secureCookies)
      .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds);
  }
}
