package dev.promptlab.http.ui;

import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.FailureResponder;
import dev.promptlab.http.web.Principal;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders pages and fragments with what every template needs: the texts of the caller's language,
 * the caller, the CSRF token their forms echo, the current path. Also the failure handler of every
 * HTML route.
 */
public final class PageRenderer {

  private final Templates templates;
  private final Messages messages;

  public PageRenderer(Templates templates, Messages messages) {
    this.templates = templates;
    this.messages = messages;
  }

  public String render(RoutingContext ctx, String template, Map<String, Object> data) {
    String lang = Language.of(ctx);
    Principal principal = AccessGuard.principal(ctx);
    Map<String, Object> view = new HashMap<>(data);
    view.put("t", messages.of(lang));
    view.put("lang", lang);
    view.put("path", ctx.request().path());
    if (principal != null) {
      view.put("user", principal.email());
      view.put("admin", principal.admin());
      view.put("csrf", principal.csrfToken());
    }
    return templates.render(template, view, java.util.Locale.forLanguageTag(lang));
  }

  /** The texts of {@code lang}, for what a page says that is built in Java rather than in its template. */
  public Map<String, String> texts(String lang) {
    return messages.of(lang);
  }

  public static void send(RoutingContext ctx, int statusCode, String html) {
    ctx.response().setStatusCode(statusCode)
      .putHeader("content-type", "text/html; charset=utf-8")
      .putHeader("cache-control", "no-store")
      .putHeader("vary", "HX-Request, Cookie")
      .end(html);
  }

  public void page(RoutingContext ctx, String template, Map<String, Object> data) {
    send(ctx, 200, render(ctx, template, data));
  }

  /** The last route for a GET no page or file answers: a 404 page in the caller's language. */
  public void notFound(RoutingContext ctx) {
    send(ctx, 404, render(ctx, "not-found", Map.of()));
  }

  /**
   * Failures of HTML routes. Without a session a page redirects to the login (htmx is told to do so
   * with {@code HX-Redirect}); other failures become a message: a fragment shown above the forms for
   * htmx requests, a full error page otherwise.
   */
  public void failure(RoutingContext ctx) {
    if (FailureResponder.alreadyAnswered(ctx)) {
      return;
    }
    ApiError error = FailureResponder.classify(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    boolean htmx = ctx.request().getHeader("HX-Request") != null;
    if (error.status() == 401) {
      String login = "/login?next=" + java.net.URLEncoder.encode(ctx.request().uri(), java.nio.charset.StandardCharsets.UTF_8);
      if (htmx) {
        ctx.response().putHeader("HX-Redirect", login).setStatusCode(401).end();
      } else {
        ctx.response().putHeader("location", login).setStatusCode(303).end();
      }
      return;
    }
    Map<String, Object> view = new HashMap<>();
    view.put("summary_key", summaryKey(error.code()));
    view.put("message", error.getMessage());
    view.put("message_key", error.messageKey());
    view.put("status", error.status());
    String html;
    try {
      html = render(ctx, htmx ? "error" : "error-page", view);
    } catch (RuntimeException e) {
      FailureResponder.respond(ctx);
      return;
    }
    if (htmx) {
      ctx.response().putHeader("HX-Retarget", "#messages").putHeader("HX-Reswap", "innerHTML");
    }
    send(ctx, error.status(), html);
  }

  private static String summaryKey(String code) {
    return switch (code) {
      case "invalid_request", "not_found", "conflict", "unsupported_media", "too_large", "provider_failed",
           "provider_unavailable", "storage_failed", "unavailable", "timeout", "forbidden", "training_disabled",
           "too_many_requests", "busy" -> "error_" + code;
      default -> "error_other";
    };
  }
}
