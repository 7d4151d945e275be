package dev.promptlab.http.ui;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How the admin and text-platform pages answer: a page renders once its data has come, with a flash message named by
 * a known key ({@code ?flash=}); an action answers with a redirect to the page that shows its result (htmx follows
 * {@code HX-Redirect}, a plain form a 303). Failures go to the failure handler of HTML routes.
 */
final class PageFlow {

  private final PageRenderer pages;
  private final Set<String> flashes;

  PageFlow(PageRenderer pages, Set<String> flashes) {
    this.pages = pages;
    this.flashes = Set.copyOf(flashes);
  }

  void render(RoutingContext ctx, String template, Future<Map<String, Object>> data) {
    data.map(view -> {
      Map<String, Object> all = new HashMap<>(view);
      String flash = ctx.request().getParam("flash");
      if (flash != null && flashes.contains(flash)) {
        all.put("flash_key", "flash_" + flash);
      }
      return pages.render(ctx, template, all);
    }).onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /** A fragment (no flash), for htmx. */
  void fragment(RoutingContext ctx, String template, Future<Map<String, Object>> data) {
    data.map(view -> pages.render(ctx, template, view))
      .onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /** Once {@code action} succeeds, to the page its answer names ({@code location}, a path with no query yet). */
  static <T> void redirect(RoutingContext ctx, Future<T> action, java.util.function.Function<T, String> location) {
    action.onSuccess(result -> {
      String target = location.apply(result);
      if (ctx.request().getHeader("HX-Request") != null) {
        ctx.response().putHeader("HX-Redirect", target).end();
      } else {
        ctx.response().setStatusCode(303).putHeader("location", target).end();
      }
    }).onFailure(ctx::fail);
  }

  /**
   * A neighbour's refusal the page has its own sentence for, by its error code ({@code keys}: code to bundle key); the
   * English sentence stays, for English pages that show it and for the log.
   */
  static <T> Future<T> explained(Throwable failure, Map<String, String> keys) {
    if (failure instanceof ApiError error && error.messageKey() == null
      && keys.containsKey(error.code())) {
      return Future.failedFuture(error.withMessageKey(keys.get(error.code())));
    }
    return Future.failedFuture(failure);
  }

  /** A form field, stripped; null when absent or blank. */
  static String form(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
