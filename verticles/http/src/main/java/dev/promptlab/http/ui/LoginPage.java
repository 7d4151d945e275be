package dev.promptlab.http.ui;

import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.LoginThrottle;
import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.accounts.Secrets;
import dev.promptlab.http.accounts.StoredCredentials;
import dev.promptlab.http.web.AccessGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Logging in and out. Passwords are checked on a worker (PBKDF2 is slow by design), failed attempts
 * are limited per email and per client address, the login form carries a double-submit CSRF token,
 * and the session lives in an HttpOnly, SameSite=Strict cookie (Secure unless configured off).
 */
public final class LoginPage {

  static final String LOGIN_CSRF_COOKIE = "pl_login_csrf";
  // Checked when the email has no account, so an unknown email takes as long as a wrong password.
  private static final String DECOY_HASH = new PasswordHasher(1_000).hash("decoy-password-never-valid");

  private final Vertx vertx;
  private final PageRenderer pages;
  private final AccountStore accounts;
  private final LoginThrottle accountThrottle;
  private final LoginThrottle addressThrottle;
  private final Duration sessionTtl;
  private final boolean secureCookies;

  /**
   * {@code accountThrottle} limits failures per email; {@code addressThrottle} per client address, and
   * should allow more (several trainers may share an office's address).
   */
  public LoginPage(Vertx vertx, PageRenderer pages, AccountStore accounts, LoginThrottle accountThrottle,
                   LoginThrottle addressThrottle, Duration sessionTtl, boolean secureCookies) {
    this.vertx = vertx;
    this.pages = pages;
    this.accounts = accounts;
    this.accountThrottle = accountThrottle;
    this.addressThrottle = addressThrottle;
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
    String client = "ip:" + ctx.request().remoteAddress().hostAddress();
    String account = "email:" + (email == null ? "" : email);
    Duration wait = max(addressThrottle.retryAfter(client), accountThrottle.retryAfter(account));
    if (!wait.isZero()) {
      ctx.response().putHeader("retry-after", String.valueOf(Math.max(1, wait.toSeconds())));
      show(ctx, 429, "login_throttled", email);
      return;
    }
    Future<Optional<StoredCredentials>> stored = email == null ? Future.succeededFuture(Optional.empty())
      : accounts.credentials(email);
    stored.compose(found -> vertx.executeBlocking(() -> {
        boolean matches = PasswordHasher.verify(password == null ? "" : password,
          found.map(StoredCredentials::passwordHash).orElse(DECOY_HASH));
        return found.filter(c -> matches && !c.disabled());
      }, false))
      .compose(valid -> {
        if (valid.isEmpty()) {
          addressThrottle.failed(client);
          accountThrottle.failed(account);
          return Future.succeededFuture(false);
        }
        accountThrottle.succeeded(account);
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
      .onFailure(ctx::fail);
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

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
