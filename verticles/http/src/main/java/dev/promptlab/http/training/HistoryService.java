package dev.promptlab.http.training;

import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.http.web.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/train/history}: the newest experiments matching the filter and analytics over
 * every rated variant of the filtered mode and API ({@code limit} and {@code min_rating} narrow the
 * list only, so the analytics describe the whole population). The best parameters are the studies' (the ones the
 * status shows), per mode in {@code best_by_mode}. A trainer sees their own experiments and
 * analytics over their own ratings; an admin sees everyone's ({@link ExperimentAccess#historyOwner}).
 */
public final class HistoryService {

  private final Neighbours neighbours;
  private final TrainingStore store;

  public HistoryService(Neighbours neighbours, TrainingStore store) {
    this.neighbours = neighbours;
    this.store = store;
  }

  public Future<JsonObject> history(HistoryFilter filter, Principal caller) {
    return history(filter, caller, null);
  }

  /** The history of one trainer's experiments when an admin asks for {@code trainer} (null: everyone's). */
  public Future<JsonObject> history(HistoryFilter filter, Principal caller, String trainer) {
    String owner = ExperimentAccess.historyOwner(caller, trainer);
    List<String> modes = filter.mode() == null ? ParameterSpace.MODES : List.of(filter.mode());
    List<Future<StudyStatus>> studies = new ArrayList<>();
    modes.forEach(mode -> studies.add(neighbours.studyStatus(mode).otherwiseEmpty()));
    Future<List<ExperimentRecord>> experiments = store.history(filter, owner);
    Future<List<RatedSample>> samples = store.ratedSamples(filter.mode(), filter.api(), owner);
    // Only admins see how the options were chosen and what the model predicted: a trainer who knew would be biased.
    Future<Map<String, ExperimentSelection>> selections = experiments.compose(list -> caller.admin()
      ? store.selections(list.stream().map(ExperimentRecord::id).toList()) : Future.succeededFuture(Map.of()));
    return Future.all(experiments, samples, selections).compose(stored -> Future.all(studies).map(done -> {
        JsonObject convergence = new JsonObject();
        JsonObject bestByMode = new JsonObject();
        JsonObject best = CurrentBest.none();
        for (int i = 0; i < modes.size(); i++) {
          StudyStatus study = studies.get(i).result();
          convergence.put(modes.get(i), study == null ? null : HistoryAnalytics.round2(study.convergence()));
          JsonObject modeBest = CurrentBest.of(study, filter.api());
          bestByMode.put(modes.get(i), modeBest);
          Double estimate = modeBest.getDouble("estimated_rating");
          if (estimate != null && (best.getDouble("estimated_rating") == null
            || estimate > best.getDouble("estimated_rating"))) {
            best = modeBest;
          }
        }
        return new JsonObject()
          .put("experiments", experimentsJson(experiments.result(), selections.result()))
          .put("analytics", analyticsJson(HistoryAnalytics.of(samples.result()), best).put("best_by_mode", bestByMode)
            .put("convergence", convergence));
      }))
      .recover(failure -> StorageFailures.explain(failure, "the training history could not be read"));
  }

  /** Every rated variant of the filter's mode and API that the caller may see, oldest first (what the charts plot). */
  public Future<List<RatedSample>> samples(HistoryFilter filter, Principal caller, String trainer) {
    return store.ratedSamples(filter.mode(), filter.api(), ExperimentAccess.historyOwner(caller, trainer))
      .recover(failure -> StorageFailures.explain(failure, "the training history could not be read"));
  }

  private static JsonArray experimentsJson(List<ExperimentRecord> records, Map<String, ExperimentSelection> selections) {
    JsonArray list = new JsonArray();
    for (ExperimentRecord record : records) {
      JsonArray options = new JsonArray();
      record.options().forEach(o -> options.add(new JsonObject()
        .put("option", o.option())
        .put("rating", o.rating())
        .put("comments", o.comment())
        .put("api", o.parameters().api())
        .put("parameters", o.parameters().toSeedJson())
        .put("prompt_version", o.promptVersion())
        .put("image_id", o.imageId())
        .put("url", ImageUrls.of(o.imagePublicId()))
        .put("thumbnail_url", ImageUrls.thumbnail(o.imagePublicId()))
        .put("status", o.status())));
      list.add(new JsonObject()
        .put("experiment_id", record.id())
        .put("created_at", record.createdAt().toInstant().toString())
        .put("mode", record.mode())
        .put("original_url", ImageUrls.of(record.originalPublicId()))
        .put("original_thumbnail_url", ImageUrls.thumbnail(record.originalPublicId()))
        .put("created_by", record.createdBy())
        .put("skip_reason", record.skipReason())
        .put("options", options));
      ExperimentSelection selection = selections.get(record.id());
      if (selection != null) {
        list.getJsonObject(list.size() - 1).put("selection", selection.selection())
          .put("candidates", candidatesJson(selection.candidates()));
      }
    }
    return list;
  }

  private static JsonArray candidatesJson(List<StoredCandidate> candidates) {
    JsonArray list = new JsonArray();
    candidates.forEach(c -> list.add(new JsonObject()
      .put("candidate", c.number())
      .put("role", c.role())
      .put("option", c.option())
      .put("parameters", c.parameters().toSeedJson())
      .put("prompt_version", c.promptVersion())
      .put("url", c.imagePublicId() == null ? null : ImageUrls.of(c.imagePublicId()))
      .put("thumbnail_url", c.imagePublicId() == null ? null : ImageUrls.thumbnail(c.imagePublicId()))
      .put("status", c.imagePublicId() == null ? "failed" : "ready")
      .put("error", c.error())
      .put("predicted_rating", c.predictedRating())
      .put("uncertainty", c.uncertainty())
      .put("model_version", c.modelVersion())
      .put("below_screen", c.belowScreen())
      .put("rating", c.rating())));
    return list;
  }

  /**
   * The analytics; {@code best_parameters} and {@code best_rating} are a study's best setting and its estimate — the
   * same the status names (of the filtered mode, or of the mode whose best is rated higher), never the one variant
   * that happened to get the top rating.
   */
  private static JsonObject analyticsJson(HistoryAnalytics analytics, JsonObject best) {
    JsonObject perApi = new JsonObject();
    analytics.apiPerformance().forEach((api, performance) -> perApi.put(api,
      new JsonObject().put("avg_rating", performance.avgRating()).put("count", performance.count())));
    return new JsonObject()
      .put("total_samples", analytics.totalSamples())
      .put("avg_rating", analytics.avgRating())
      .put("rating_trend", new JsonArray(new ArrayList<>(analytics.ratingTrend())))
      .put("best_parameters", best.getJsonObject("parameters"))
      .put("best_rating", best.getDouble("estimated_rating"))
      .put("api_performance", perApi);
  }
}
