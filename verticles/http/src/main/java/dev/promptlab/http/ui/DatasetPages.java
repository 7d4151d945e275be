package dev.promptlab.http.ui;

import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetSummary;
import dev.promptlab.contract.Datasets;
import dev.promptlab.contract.ListRequest;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.DatasetForm;
import dev.promptlab.http.web.PathIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text platform's datasets: {@code /text/datasets} lists them with an upload form, {@code /text/datasets/:id}
 * shows one with the report of its refused rows in the page's language. Answered by the textopt verticle over the
 * bus, as {@code /api/v1/datasets} is.
 */
public final class DatasetPages {

  private final Vertx vertx;
  private final Neighbours neighbours;
  private final PageRenderer pages;
  private final PageFlow flow;

  public DatasetPages(Vertx vertx, Neighbours neighbours, PageRenderer pages) {
    this.vertx = vertx;
    this.neighbours = neighbours;
    this.pages = pages;
    this.flow = new PageFlow(pages, Set.of("dataset_uploaded"));
  }

  /** Declares the dataset pages' routes; {@code /text/*} is guarded for signed-in accounts before these. */
  public void mount(Router router) {
    router.get("/text/datasets").handler(this::list);
    router.post("/text/datasets").handler(this::upload);
    router.get("/text/datasets/:id").handler(this::show);
  }

  /** {@code GET /text/datasets}: newest first; without an answer from textopt the page says so. */
  public void list(RoutingContext ctx) {
    String lang = Language.of(ctx);
    Future<Datasets> datasets = neighbours.datasets(new ListRequest(ListRequest.MAX_LIMIT)).otherwiseEmpty();
    flow.render(ctx, "text-datasets", datasets.map(list -> {
      Map<String, Object> view = new HashMap<>();
      view.put("datasets", list == null ? null : list.datasets().stream().map(d -> summary(d, lang)).toList());
      return view;
    }));
  }

  /**
   * {@code POST /text/datasets} (multipart): stores the file and opens its page, where the report of its refused
   * rows is. A file refused whole is said in the page's language (the English page also gives textopt's reason).
   */
  public void upload(RoutingContext ctx) {
    PageFlow.redirect(ctx, DatasetForm.read(vertx, ctx).compose(neighbours::createDataset)
        // textopt's refusal of the whole file (not UTF-8, no usable rows, a missing column) gets the page's sentence.
        .recover(failure -> PageFlow.explained(failure, Map.of("invalid_request", "dataset_error_refused"))),
      report -> "/text/datasets/" + report.dataset().id() + "?flash=dataset_uploaded");
  }

  /** {@code GET /text/datasets/:id}. */
  public void show(RoutingContext ctx) {
    String lang = Language.of(ctx);
    flow.render(ctx, "text-dataset", PathIds.number(ctx.pathParam("id"), "dataset").compose(neighbours::dataset)
      .map(report -> Map.of("d", summary(report.dataset(), lang), "rejected", refused(report, lang))));
  }

  private List<Map<String, Object>> refused(DatasetReport report, String lang) {
    Map<String, String> texts = pages.texts(lang);
    List<Map<String, Object>> rows = new ArrayList<>(report.rejected().size());
    report.rejected().forEach(row -> rows.add(Map.of("line", row.line(), "text",
      RefusalTexts.of(row, texts, lang))));
    return rows;
  }

  private static Map<String, Object> summary(DatasetSummary dataset, String lang) {
    Map<String, Object> view = ViewModels.of(dataset.toJson());
    view.put("created_at_text", PageDates.of(dataset.createdAt(), lang));
    return view;
  }
}
