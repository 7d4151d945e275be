package dev.promptlab.http.web;

import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.SessionOwner;
import dev.promptlab.http.accounts.Secrets;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/**
 * The single place that decides who may call a route. {@link #authenticate} finds the caller (a
 * session cookie, an API token, or the operator's admin token); {@link #trainer} and {@link #admin}
 * refuse callers without the role, and refuse a browser session's state-changing request unless it
 * echoes the session's CSRF token ({@code X-CSRF-Token} header or {@code _csrf} form field).
 *
 * <p>A body is read only for a known caller: {@link #authenticate} holds it while it looks the caller up, and
 * {@link #callerBeforeBody} answers 401 to a body-carrying request without one before any body handler runs.
 * A refused body is never read: the answer goes out with {@code Connection: close} and the connection is
 * closed after it, so an anonymous client cannot make the server spool or discard megabytes.
 */
public final class AccessGuard {

  public static final String SESSION_COOKIE = "pl_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  public static final String CSRF_FIELD = "_csrf";
  private static final String PRINCIPAL_KEY = "promptlab.principal";

  private final AccountStore accounts;
  private final String adminToken;
  private final Set<String> adminEmails;
  private final boolean trainingEnabled;

  /** {@code adminToken} null: only accounts listed in {@code adminEmails} are admins. */
  public AccessGuard(AccountStore accounts, String adminToken, Set<String> adminEmails, boolean trainingEnabled) {
    this.accounts = accounts;
    this.adminToken = adminToken;
    this.adminEmails = Set.copyOf(adminEmails);
    this.trainingEnabled = trainingEnabled;
  }

  /** Finds the caller, if any, and lets the request go on; the role handlers decide. */
  public void authenticate(RoutingContext ctx) {
    if (changesState(ctx.request().method()) && !ctx.request().isEnded()) {
      // The lookup below is asynchronous: hold the body until the BodyHandler after this one reads it.
      ctx.request().pause();
    }
    String header = ctx.request().getHeader("authorization");
    Future<Optional<Principal>> found;
    if (header != null && !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      found = Future.failedFuture(ApiError.unauthorized("only Authorization: Bearer <token> is accepted"));
    } else if (header != null) {
      String token = header.substring(7).strip();
      if (adminToken != null && Secrets.same(adminToken, token)) {
        found = Future.succeededFuture(Optional.of(new Principal(null, "admin-token", "admin token", true, null)));
      } else {
        found = accounts.tokenOwner(token).map(owner -> owner.map(this::principal));
      }
      found = found.compose(p -> p.isPresent() ? Future.succeededFuture(p)
        : Future.failedFuture(ApiError.unauthorized("the bearer token is not valid")));
    } else {
      Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
      found = cookie == null || cookie.getValue().isBlank() ? Future.succeededFuture(Optional.empty())
        : accounts.sessionOwner(cookie.getValue()).map(owner -> owner.map(this::principal));
    }
    found.onSuccess(principal -> {
      principal.ifPresent(p -> ctx.put(PRINCIPAL_KEY, p));
      ctx.next();
    }).onFailure(failure -> refuseUnread(ctx, failure instanceof ApiError error ? error
      : new ApiError(503, "storage_failed", "the credentials could not be checked; try again")));
  }

  /**
   * Put before the body handlers of routes that need a caller: a request with a body and no caller gets its
   * 401 with the body unread.
   */
  public void callerBeforeBody(RoutingContext ctx) {
    if (ctx.get(PRINCIPAL_KEY) == null && changesState(ctx.request().method()) && !ctx.request().isEnded()) {
      refuseUnread(ctx, ApiError.unauthorized("log in, or send Authorization: Bearer <token>"));
      return;
    }
    ctx.next();
  }

  /** Fails the request without reading what is left of its body; the connection ends with the answer. */
  private static void refuseUnread(RoutingContext ctx, ApiError error) {
    if (!ctx.request().isEnded()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.addEndHandler(done -> ctx.request().connection().close());
    }
    ctx.fail(error);
  }

  private Principal principal(SessionOwner owner) {
    return new Principal(owner.trainerId(), owner.email(), owner.displayName(), adminEmails.contains(owner.email()),
      owner.csrfToken());
  }

  /** Any active account (admins included), while training mode is on. */
  public void trainer(RoutingContext ctx) {
    if (!trainingEnabled) {
      ctx.fail(new ApiError(403, "training_disabled", "training mode is switched off on this server"));
      return;
    }
    allow(ctx, false);
  }

  public void admin(RoutingContext ctx) {
    allow(ctx, true);
  }

  /** Any logged-in account, training mode or not (the account page, logging out). */
  public void member(RoutingContext ctx) {
    allow(ctx, false);
  }

  private void allow(RoutingContext ctx, boolean needsAdmin) {
    Principal principal = ctx.get(PRINCIPAL_KEY);
    if (principal == null) {
      ctx.fail(ApiError.unauthorized("log in, or send Authorization: Bearer <token>"));
      return;
    }
    if (needsAdmin && !principal.admin()) {
      ctx.fail(ApiError.forbidden("this needs an admin account"));
      return;
    }
    if (principal.browserSession() && changesState(ctx.request().method())) {
      String echoed = ctx.request().getHeader(CSRF_HEADER);
      if (echoed == null) {
        echoed = ctx.request().getFormAttribute(CSRF_FIELD);
      }
      if (!Secrets.same(principal.csrfToken(), echoed)) {
        ctx.fail(ApiError.forbidden("the form is stale or was not sent by this site (CSRF check); reload the page")
          .withMessageKey("error_csrf"));
        return;
      }
    }
    ctx.next();
  }

  private static boolean changesState(HttpMethod method) {
    return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method));
  }

  public boolean trainingEnabled() {
    return trainingEnabled;
  }

  /** The caller found by {@link #authenticate}, or null. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL_KEY);
  }

  /** The key of the login limits: the connection's peer address (no proxy header is trusted). */
  public static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  /** The name recorded as the author of ratings and experiments. */
  public static String principalName(RoutingContext ctx) {
    Principal principal = principal(ctx);
    return principal == null ? null : principal.name();
  }
}
