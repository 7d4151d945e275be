package dev.promptlab.http.ui;

import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.Datasets;
import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.TextPrompts;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunIteration;
import dev.promptlab.contract.TextRunRequest;
import dev.promptlab.contract.TextRunSettings;
import dev.promptlab.contract.TextRuns;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.PathIds;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The text platform's optimisation runs: {@code /text/runs} lists them with a form that starts one;
 * {@code /text/runs/:id} shows one, its live part ({@code /text/runs/:id/live}: status, progress, the metric per
 * iteration, each iteration's candidates and the failures that drove its rewrite, cancel and promote) polled by htmx
 * until the run has ended. Answered by the textopt verticle, as {@code /api/v1/runs}.
 */
public final class RunPages {

  /** The metrics a run can improve, as the textopt verticle names them; it refuses any other. */
  static final List<String> METRICS = List.of("exact_match", "f1", "bleu", "rouge_l", "chrf", "json_valid",
    "json_schema", "regex", "llm_judge");

  private final Neighbours neighbours;
  private final PageFlow flow;

  public RunPages(Neighbours neighbours, PageRenderer pages) {
    this.neighbours = neighbours;
    this.flow = new PageFlow(pages, Set.of("run_started", "run_cancelled", "run_promoted"));
  }

  /** Declares the run pages' routes; {@code /text/*} is guarded for signed-in accounts before these. */
  public void mount(Router router) {
    router.get("/text/runs").handler(this::list);
    router.post("/text/runs").handler(this::start);
    router.get("/text/runs/:id").handler(this::show);
    router.get("/text/runs/:id/live").handler(this::liveFragment);
    router.post("/text/runs/:id/cancel").handler(this::cancel);
    router.post("/text/runs/:id/promote").handler(this::promote);
  }

  /** {@code GET /text/runs}: newest first, and the form with the datasets and prompts to choose from. */
  public void list(RoutingContext ctx) {
    String lang = Language.of(ctx);
    ListRequest all = new ListRequest(ListRequest.MAX_LIMIT);
    Future<TextRuns> runs = neighbours.textRuns(all).otherwiseEmpty();
    Future<Datasets> datasets = neighbours.datasets(all).otherwiseEmpty();
    Future<TextPrompts> prompts = neighbours.textPrompts(all).otherwiseEmpty();
    flow.render(ctx, "text-runs", Future.all(runs, datasets, prompts).map(done -> {
      Map<String, Object> view = new HashMap<>();
      Map<Long, String> datasetNames = new HashMap<>();
      Map<Long, String> promptNames = new HashMap<>();
      if (datasets.result() != null) {
        datasets.result().datasets().forEach(d -> datasetNames.put(d.id(), d.name()));
        view.put("datasets", ViewModels.of(datasets.result().toJson().getJsonArray("datasets")));
      }
      if (prompts.result() != null) {
        prompts.result().prompts().forEach(p -> promptNames.put(p.id(), p.name()));
        view.put("prompts", ViewModels.of(prompts.result().toJson().getJsonArray("prompts")));
      }
      if (runs.result() != null) {
        view.put("runs", runs.result().runs().stream().map(run -> {
          Map<String, Object> row = runView(run, lang);
          row.put("dataset_name", datasetNames.get(run.settings().datasetId()));
          row.put("prompt_name", promptNames.get(run.settings().promptId()));
          return row;
        }).toList());
      }
      view.put("metrics", METRICS);
      view.put("defaults", Map.of("target_threshold", TextRunSettings.DEFAULT_THRESHOLD,
        "patience", TextRunSettings.DEFAULT_PATIENCE, "max_iterations", TextRunSettings.DEFAULT_MAX_ITERATIONS,
        "candidates_per_iteration", TextRunSettings.DEFAULT_CANDIDATES));
      return view;
    }));
  }

  /** {@code POST /text/runs}: starts a run and opens its page. */
  public void start(RoutingContext ctx) {
    PageFlow.redirect(ctx, RunForm.read(ctx)
        .compose(settings -> neighbours.createTextRun(new TextRunRequest(settings, AccessGuard.principalName(ctx))))
        .recover(failure -> PageFlow.explained(failure, Map.of("not_found", "run_error_not_found",
          "provider_unavailable", "run_error_no_model", "invalid_request", "run_error_invalid"))),
      created -> "/text/runs/" + created.id() + "?flash=run_started");
  }

  /** {@code GET /text/runs/:id}: the settings (with the dataset's name, when it still answers) and the live part. */
  public void show(RoutingContext ctx) {
    String lang = Language.of(ctx);
    flow.render(ctx, "text-run", run(ctx).compose(r -> {
      Future<Map<String, Object>> live = live(r, lang);
      Future<DatasetReport> dataset = neighbours.dataset(r.settings().datasetId()).otherwiseEmpty();
      return Future.all(live, dataset).map(all -> {
        Map<String, Object> view = live.result();
        view.put("dataset_name", dataset.result() == null ? null : dataset.result().dataset().name());
        return view;
      });
    }));
  }

  /** {@code GET /text/runs/:id/live}: the part of the run page that changes while it runs. */
  public void liveFragment(RoutingContext ctx) {
    String lang = Language.of(ctx);
    flow.fragment(ctx, "text-run-live", run(ctx).compose(r -> live(r, lang)));
  }

  /** {@code POST /text/runs/:id/cancel}. */
  public void cancel(RoutingContext ctx) {
    PageFlow.redirect(ctx, PathIds.number(ctx.pathParam("id"), "run")
        .compose(id -> neighbours.cancelTextRun(id, AccessGuard.principalName(ctx)))
        .recover(failure -> PageFlow.explained(failure, Map.of("conflict", "run_error_ended"))),
      run -> "/text/runs/" + run.id() + "?flash=run_cancelled");
  }

  /** {@code POST /text/runs/:id/promote}: the run's best version becomes its prompt's current one. */
  public void promote(RoutingContext ctx) {
    PageFlow.redirect(ctx, PathIds.number(ctx.pathParam("id"), "run")
        .compose(id -> neighbours.promoteTextRun(id, AccessGuard.principalName(ctx)))
        .recover(failure -> PageFlow.explained(failure, Map.of("conflict", "run_error_no_best"))),
      promoted -> "/text/runs/" + promoted.runId() + "?flash=run_promoted");
  }

  private Future<TextRun> run(RoutingContext ctx) {
    return PathIds.number(ctx.pathParam("id"), "run").compose(neighbours::textRun);
  }

  private Future<Map<String, Object>> live(TextRun run, String lang) {
    // The prompt's name and current version say whether promoting would change anything; a deleted prompt has none.
    return neighbours.textPrompt(run.settings().promptId()).otherwiseEmpty().map(current -> {
      Map<String, Object> view = new HashMap<>();
      view.put("r", runView(run, lang));
      view.put("prompt", current == null ? null : ViewModels.of(current.toJson()));
      view.put("chart", Charts.metricByIteration(targetValues(run), run.settings().targetThreshold(),
        Locale.forLanguageTag(lang)));
      return view;
    });
  }

  /** The run's target metric in each iteration, oldest first. */
  static List<Double> targetValues(TextRun run) {
    List<Double> values = new ArrayList<>(run.iterations().size());
    for (TextRunIteration iteration : run.iterations()) {
      Object value = iteration.metrics() == null ? null : iteration.metrics().getValue(run.settings().targetMetric());
      values.add(value instanceof Number number ? number.doubleValue() : null);
    }
    return values;
  }

  /** The run as the templates read it, with what they cannot work out: dates in the page's language, the bar. */
  static Map<String, Object> runView(TextRun run, String lang) {
    Map<String, Object> view = ViewModels.of(run.toJson());
    view.put("created_at_text", PageDates.of(run.createdAt(), lang));
    view.put("finished_at_text", PageDates.of(run.finishedAt(), lang));
    view.put("ended", TextRun.FINAL.contains(run.status()));
    int total = run.progress().total();
    view.put("percent", total <= 0 ? 0 : Math.min(100, Math.round(100.0f * run.progress().done() / total)));
    view.put("target_value", run.best() == null || run.best().metrics() == null ? null
      : run.best().metrics().getValue(run.settings().targetMetric()));
    return view;
  }
}
