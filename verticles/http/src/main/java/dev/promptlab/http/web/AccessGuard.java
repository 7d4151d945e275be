package dev.promptlab.http.web;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The single place that decides who may call a route. Trainer routes are open for now (every
 * caller acts as {@value #ANONYMOUS}); admin routes need {@code Authorization: Bearer <admin_token>}.
 * Handlers read the caller with {@link #principal}.
 */
public final class AccessGuard {

  public static final String ANONYMOUS = "anonymous";
  public static final String ADMIN = "admin";
  private static final String PRINCIPAL_KEY = "promptlab.principal";

  private final byte[] adminToken;

  /** {@code adminToken} null: admin routes refuse everyone. */
  public AccessGuard(String adminToken) {
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  public void trainer(RoutingContext ctx) {
    ctx.put(PRINCIPAL_KEY, ANONYMOUS);
    ctx.next();
  }

  public void admin(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(ApiError.unauthorized("admin routes need an Authorization: Bearer token"));
      return;
    }
    byte[] offered = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    // MessageDigest.isEqual takes the same time wherever the first difference is.
    if (adminToken == null || !MessageDigest.isEqual(adminToken, offered)) {
      ctx.fail(ApiError.forbidden("the token does not grant admin access"));
      return;
    }
    ctx.put(PRINCIPAL_KEY, ADMIN);
    ctx.next();
  }

  public static String principal(RoutingContext ctx) {
    String principal = ctx.get(PRINCIPAL_KEY);
    return principal == null ? ANONYMOUS : principal;
  }
}
