package dev.promptlab.http.ui;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.Trainer;
import dev.promptlab.http.training.HistoryAnalytics;
import dev.promptlab.http.training.HistoryFilter;
import dev.promptlab.http.training.HistoryService;
import dev.promptlab.http.training.RatedSample;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /history}: past experiments with thumbnails under the seed's filters, and the analytics
 * as charts (rating trend, average per API, rating against each parameter) and best parameters.
 */
public final class HistoryPage {

  private final PageRenderer pages;
  private final HistoryService history;
  private final AccountStore accounts;

  public HistoryPage(PageRenderer pages, HistoryService history, AccountStore accounts) {
    this.pages = pages;
    this.history = history;
    this.accounts = accounts;
  }

  /**
   * A trainer sees their own experiments; an admin everyone's, with who uploaded each and a trainer filter that
   * narrows the list and the charts alike.
   */
  public void page(RoutingContext ctx) {
    HistoryFilter filter = HistoryFilter.parse(name -> param(ctx, name));
    Principal caller = AccessGuard.principal(ctx);
    String trainer = caller.admin() ? param(ctx, "trainer") : null;
    Future<JsonObject> listed = history.history(filter, caller, trainer);
    Future<List<RatedSample>> samples = history.samples(filter, caller, trainer);
    Future<List<Trainer>> trainers = caller.admin() ? accounts.trainers() : Future.succeededFuture(List.of());
    Future.all(listed, samples, trainers).map(all -> {
      Map<String, Object> view = new HashMap<>();
      view.put("h", ViewModels.of(reopenable(listed.result())));
      Map<String, Object> filterView = filterView(filter);
      filterView.put("trainer", trainer == null ? "" : trainer);
      view.put("filter", filterView);
      view.put("trainers", trainers.result().stream().map(Trainer::email).toList());
      view.put("charts", charts(listed.result().getJsonObject("analytics"), samples.result(),
        java.util.Locale.forLanguageTag(Language.of(ctx))));
      return pages.render(ctx, "history", view);
    }).onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  /**
   * Marks the experiments that can be taken up again from the list: nothing rated, not set aside, every variant
   * shown (a failed one is retried on the trainer page, not here).
   */
  static JsonObject reopenable(JsonObject history) {
    history.getJsonArray("experiments").forEach(item -> {
      JsonObject experiment = (JsonObject) item;
      boolean open = experiment.getString("skip_reason") == null && experiment.getJsonArray("options").stream()
        .map(JsonObject.class::cast).noneMatch(o -> o.getValue("rating") != null);
      experiment.put("reopenable", open);
    });
    return history;
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Map<String, Object> filterView(HistoryFilter filter) {
    Map<String, Object> view = new HashMap<>();
    view.put("limit", filter.limit());
    view.put("min_rating", filter.minRating() == null ? "" : String.valueOf(filter.minRating().intValue()));
    view.put("api", filter.api() == null ? "" : filter.api());
    view.put("mode", filter.mode() == null ? "" : filter.mode());
    return view;
  }

  static Map<String, Object> charts(JsonObject analytics, List<RatedSample> samples, java.util.Locale locale) {
    Map<String, Double> averages = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    JsonObject perApi = analytics.getJsonObject("api_performance");
    for (String api : ParameterSpace.APIS) {
      JsonObject one = perApi.getJsonObject(api);
      averages.put(api, one.getDouble("avg_rating"));
      counts.put(api, one.getInteger("count"));
    }
    Map<String, Object> charts = new HashMap<>();
    charts.put("trend", Charts.trend(samples, HistoryAnalytics.TREND_WINDOW));
    charts.put("per_api", Charts.perApi(averages, counts, locale));
    charts.put("strength", Charts.against(samples, GenerationParameters::strength, ParameterSpace.STRENGTH_MIN,
      ParameterSpace.STRENGTH_MAX, locale));
    charts.put("guidance_scale", Charts.against(samples, GenerationParameters::guidanceScale,
      ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX, locale));
    charts.put("control_weight", Charts.against(samples, GenerationParameters::controlWeight,
      ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX, locale));
    return charts;
  }
}
