package dev.promptlab.http.web;

import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries. The page loads nothing from elsewhere, so the policy allows only
 * this origin (images may also come from an https storage URL).
 */
public final class SecurityHeaders {

  private static final String POLICY = "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self';"
    + " script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private SecurityHeaders() {
  }

  public static void apply(RoutingContext ctx) {
    ctx.response()
      .putHeader("x-content-type-options", "nosniff")
      .putHeader("referrer-policy", "same-origin")
      .putHeader("x-frame-options", "DENY")
      .putHeader("content-security-policy", POLICY);
    ctx.next();
  }

  /**
   * API answers are per caller and change with every rating: no cache (a browser's, a proxy's) may keep them.
   * Set before anything can fail, so error answers carry it too.
   */
  public static void noStore(RoutingContext ctx) {
    ctx.response().putHeader("cache-control", "no-store");
    ctx.next();
  }
}
