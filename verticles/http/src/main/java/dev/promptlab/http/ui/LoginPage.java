package dev.promptlab.http.ui;

import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.LoginLimiter;
import dev.promptlab.http.accounts.LoginThrottle;
import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordChecks;
import dev.promptlab.http.accounts.Secrets;
import dev.promptlab.http.accounts.StoredCredentials;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Logging in and out. Passwords are checked by {@link PasswordChecks} (a bounded pool of its own: PBKDF2 is
 * slow by design), attempts are limited by {@link LoginLimiter} per (email, client address) pair with growing
 * delays and a per-account ceiling, the login form carries a double-submit CSRF token,
 * and the session lives in an HttpOnly, SameSite=Strict cookie (Secure unless configured off).
 */
public final class LoginPage {

  static final String LOGIN_CSRF_COOKIE = "pl_login_csrf";

  private final PageRenderer pages;
  private final AccountStore accounts;
  private final PasswordChecks checks;
  private final LoginThrottle limiter;
  private final Duration sessionTtl;
  private final boolean secureCookies;

  public LoginPage(PageRenderer pages, AccountStore accounts, PasswordChecks checks, LoginThrottle limiter,
                   Duration sessionTtl, boolean secureCookies) {
    this.pages = pages;
    this.accounts = accounts;
    this.checks = checks;
    this.limiter = limiter;
    this.sessionTtl = sessionTtl;
    this.secureCookies = secureCookies;
  }

  /** {@code GET /login}. */
  public void form(RoutingContext ctx) {
    if (AccessGuard.principal(ctx) != null) {
      redirect(ctx, NextPath.sameSite(ctx.request().getParam("next")));
      return;
    }
    show(ctx, 200, null, null);
  }

  /** {@code POST /login} (form: email, password, _csrf, next). */
  public void login(RoutingContext ctx) {
    String email = NewAccount.normaliseEmail(ctx.request().getFormAttribute("email"));
    String password = ctx.request().getFormAttribute("password");
    Cookie csrfCookie = ctx.request().getCookie(LOGIN_CSRF_COOKIE);
    if (csrfCookie == null || !Secrets.same(csrfCookie.getValue(), ctx.request().getFormAttribute(AccessGuard.CSRF_FIELD))) {
      show(ctx, 403, "login_stale", email);
      return;
    }
    // Counted before the password is checked, so parallel guesses cannot all pass the limit.
    limiter.admit(email == null ? "" : email, AccessGuard.clientAddress(ctx))
      .onSuccess(decision -> checkPassword(ctx, email, password, decision))
      .onFailure(ctx::fail);
  }

  private void checkPassword(RoutingContext ctx, String email, String password, LoginThrottle.Decision decision) {
    if (!decision.allowed()) {
      ctx.response().putHeader("retry-after", String.valueOf(Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000)));
      show(ctx, 429, "login_throttled", email);
      return;
    }
    LoginThrottle.Attempt attempt = decision.attempt().get();
    Future<Optional<StoredCredentials>> stored = email == null ? Future.succeededFuture(Optional.empty())
      : accounts.credentials(email);
    stored.compose(found -> checks.matches(password, found.map(StoredCredentials::passwordHash).orElse(null))
        .map(matches -> found.filter(c -> matches && !c.disabled())))
      .compose(valid -> {
        if (valid.isEmpty()) {
          attempt.failed();
          return Future.succeededFuture(false);
        }
        attempt.succeeded();
        return accounts.startSession(valid.get().trainerId(), sessionTtl).map(tokens -> {
          ctx.response().addCookie(cookie(AccessGuard.SESSION_COOKIE, tokens.sessionToken(), sessionTtl.toSeconds()));
          ctx.response().addCookie(cookie(LOGIN_CSRF_COOKIE, "", 0));
          return true;
        });
      })
      .onSuccess(ok -> {
        if (ok) {
          redirect(ctx, NextPath.sameSite(ctx.request().getFormAttribute("next")));
        } else {
          show(ctx, 401, "login_failed", email);
        }
      })
      .onFailure(failure -> {
        attempt.failed();
        if (failure instanceof ApiError error && "busy".equals(error.code())) {
          ctx.response().putHeader("retry-after", "1");
          show(ctx, 503, "login_busy", email);
        } else {
          ctx.fail(failure);
        }
      });
  }

  /** {@code POST /logout} (behind the trainer guard, so the CSRF token is checked). */
  public void logout(RoutingContext ctx) {
    Cookie session = ctx.request().getCookie(AccessGuard.SESSION_COOKIE);
    Future<Void> ended = session == null ? Future.succeededFuture() : accounts.endSession(session.getValue());
    ended.onSuccess(done -> {
      ctx.response().addCookie(cookie(AccessGuard.SESSION_COOKIE, "", 0));
      if (ctx.request().getHeader("HX-Request") != null) {
        ctx.response().putHeader("HX-Redirect", "/login").end();
      } else {
        redirect(ctx, "/login");
      }
    }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, int status, String errorKey, String email) {
    String csrf = Secrets.newToken();
    ctx.response().addCookie(cookie(LOGIN_CSRF_COOKIE, csrf, 3600));
    Map<String, Object> view = new HashMap<>();
    view.put("login_csrf", csrf);
    String next = ctx.request().getParam("next");
    view.put("next", NextPath.sameSite(next != null ? next : ctx.request().getFormAttribute("next")));
    view.put("error_key", errorKey);
    if (errorKey == null && "done".equals(ctx.request().getParam("reset"))) {
      view.put("flash_key", "flash_password_reset");
    }
    view.put("email", email);
    PageRenderer.send(ctx, status, pages.render(ctx, "login", view));
  }

  private Cookie cookie(String name, String value, long maxAgeSeconds) {
    return Cookie.cookie(name, value).setPath("/").setHttpOnly(true).setSecure(secureCookies)
      .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("location", location).end();
  }

}
