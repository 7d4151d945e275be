package dev.promptlab.http.ui;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.http.training.HistoryAnalytics;
import dev.promptlab.http.training.HistoryFilter;
import dev.promptlab.http.training.HistoryService;
import dev.promptlab.http.training.RatedSample;
import dev.promptlab.http.web.AccessGuard;
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

  public HistoryPage(PageRenderer pages, HistoryService history) {
    this.pages = pages;
    this.history = history;
  }

  public void page(RoutingContext ctx) {
    HistoryFilter filter = HistoryFilter.parse(name -> {
      String value = ctx.request().getParam(name);
      return value == null || value.isBlank() ? null : value;
    });
    Future<JsonObject> listed = history.history(filter, AccessGuard.principal(ctx));
    Future<List<RatedSample>> samples = history.samples(filter, AccessGuard.principal(ctx));
    Future.all(listed, samples).map(all -> {
      Map<String, Object> view = new HashMap<>();
      view.put("h", ViewModels.of(listed.result()));
      view.put("filter", filterView(filter));
      view.put("charts", charts(listed.result().getJsonObject("analytics"), samples.result()));
      return pages.render(ctx, "history", view);
    }).onSuccess(html -> PageRenderer.send(ctx, 200, html)).onFailure(ctx::fail);
  }

  private static Map<String, Object> filterView(HistoryFilter filter) {
    Map<String, Object> view = new HashMap<>();
    view.put("limit", filter.limit());
    view.put("min_rating", filter.minRating() == null ? "" : String.valueOf(filter.minRating().intValue()));
    view.put("api", filter.api() == null ? "" : filter.api());
    view.put("mode", filter.mode() == null ? "" : filter.mode());
    return view;
  }

  static Map<String, Object> charts(JsonObject analytics, List<RatedSample> samples) {
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
    charts.put("per_api", Charts.perApi(averages, counts));
    charts.put("strength", Charts.against(samples, GenerationParameters::strength, ParameterSpace.STRENGTH_MIN,
      ParameterSpace.STRENGTH_MAX));
    charts.put("guidance_scale", Charts.against(samples, GenerationParameters::guidanceScale,
      ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX));
    charts.put("control_weight", Charts.against(samples, GenerationParameters::controlWeight,
      ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX));
    return charts;
  }
}
