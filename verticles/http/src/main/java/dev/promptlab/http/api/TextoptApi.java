package dev.promptlab.http.api;

import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextRunRequest;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.DatasetForm;
import dev.promptlab.http.web.JsonBodies;
import dev.promptlab.http.web.PathIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The text-prompt platform's JSON API under {@code /api/v1}, answered by the textopt verticle over the bus (the routes
 * and their document: {@link ApiV1Routes}):
 * <ul>
 *   <li>{@code POST /api/v1/datasets} (multipart: {@code file}, a JSON Lines or CSV file; {@code name}; optionally
 *       {@code eval_ratio} and {@code format}) → 201 with the dataset and the report of its refused rows;
 *       {@code GET /api/v1/datasets}, {@code GET /api/v1/datasets/{id}};</li>
 *   <li>{@code POST /api/v1/prompts} {@code {"name", "system_prompt", "output_prompt"}} → 201 {@code {"id",
 *       "version"}}; {@code GET /api/v1/prompts}; {@code GET|PUT|DELETE /api/v1/prompts/{id}} (PUT stores a new
 *       version); {@code GET /api/v1/prompts/{id}/versions};</li>
 *   <li>{@code POST /api/v1/runs} (the dataset, the prompt, the metric and the stop rules) → 201 {@code {"id",
 *       "status"}}; {@code GET /api/v1/runs}, {@code GET /api/v1/runs/{id}}; {@code POST /api/v1/runs/{id}/cancel}
 *       → the run; {@code POST /api/v1/runs/{id}/promote} → the prompt's new current version.</li>
 * </ul>
 */
public final class TextoptApi {

  /** What a caller may set on a new run; the owner is the caller. */
  private static final List<String> RUN_FIELDS = List.of("dataset_id", "prompt_id", "target_metric", "metric_options",
    "target_threshold", "patience", "max_iterations", "candidates_per_iteration", "budget_usd", "margin");

  private final Vertx vertx;
  private final Neighbours neighbours;

  public TextoptApi(Vertx vertx, Neighbours neighbours) {
    this.vertx = vertx;
    this.neighbours = neighbours;
  }

  public void createDataset(RoutingContext ctx) {
    created(ctx, DatasetForm.read(vertx, ctx).compose(neighbours::createDataset).map(report -> report.toJson()),
      "/api/v1/datasets/");
  }

  public void datasets(RoutingContext ctx) {
    ListRequest request = listRequest(ctx);
    JsonBodies.send(ctx, neighbours.datasets(request).map(list -> list.toJson()));
  }

  public void dataset(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "dataset").compose(neighbours::dataset)
      .map(report -> report.toJson()));
  }

  public void createPrompt(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    TextPromptDraft draft = read(() -> TextPromptDraft.fromJson(promptFields(body, ctx)));
    created(ctx, neighbours.createTextPrompt(draft).map(saved -> saved.toJson()), "/api/v1/prompts/");
  }

  public void updatePrompt(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "text prompt")
      .compose(id -> neighbours.updateTextPrompt(read(() -> TextPromptDraft.fromJson(promptFields(body, ctx)
        .put("id", id))))).map(saved -> saved.toJson()));
  }

  public void deletePrompt(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "text prompt")
      .compose(id -> neighbours.deleteTextPrompt(id, AccessGuard.principalName(ctx))).map(deleted -> deleted.toJson()));
  }

  public void prompts(RoutingContext ctx) {
    ListRequest request = listRequest(ctx);
    JsonBodies.send(ctx, neighbours.textPrompts(request).map(list -> list.toJson()));
  }

  public void prompt(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "text prompt").compose(neighbours::textPrompt)
      .map(prompt -> prompt.toJson()));
  }

  public void promptVersions(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "text prompt").compose(neighbours::textPromptVersions)
      .map(versions -> versions.toJson()));
  }

  public void createRun(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonObject fields = new JsonObject();
    for (String key : RUN_FIELDS) {
      fields.put(key, body.getValue(key));
    }
    TextRunRequest request = read(() -> TextRunRequest.fromJson(fields.put("requested_by",
      AccessGuard.principalName(ctx))));
    created(ctx, neighbours.createTextRun(request).map(run -> run.toJson()), "/api/v1/runs/");
  }

  public void runs(RoutingContext ctx) {
    ListRequest request = listRequest(ctx);
    JsonBodies.send(ctx, neighbours.textRuns(request).map(list -> list.toJson()));
  }

  public void run(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "run").compose(neighbours::textRun)
      .map(run -> run.toJson()));
  }

  public void cancelRun(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "run")
      .compose(id -> neighbours.cancelTextRun(id, AccessGuard.principalName(ctx))).map(run -> run.toJson()));
  }

  public void promoteRun(RoutingContext ctx) {
    JsonBodies.send(ctx, PathIds.number(ctx.pathParam("id"), "run")
      .compose(id -> neighbours.promoteTextRun(id, AccessGuard.principalName(ctx))).map(promoted -> promoted.toJson()));
  }

  /** Only the fields a caller may set, so no body can name another author or an id of its own choosing. */
  private static JsonObject promptFields(JsonObject body, RoutingContext ctx) {
    return new JsonObject().put("name", body.getValue("name")).put("system_prompt", body.getValue("system_prompt"))
      .put("output_prompt", body.getValue("output_prompt")).put("requested_by", AccessGuard.principalName(ctx));
  }

  /** {@code ?limit=} from 1 to {@value ListRequest#MAX_LIMIT}, {@value ListRequest#DEFAULT_LIMIT} when absent. */
  private static ListRequest listRequest(RoutingContext ctx) {
    String limit = blankToNull(ctx.request().getParam("limit"));
    if (limit == null) {
      return new ListRequest(ListRequest.DEFAULT_LIMIT);
    }
    int asked;
    try {
      asked = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("limit must be an integer from 1 to " + ListRequest.MAX_LIMIT);
    }
    return read(() -> new ListRequest(asked));
  }

  /** A contract record read from what the caller sent: a refusal is the caller's 400, with the record's sentence. */
  private static <T> T read(java.util.function.Supplier<T> reading) {
    try {
      return reading.get();
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /** 201 with the new resource's address; the answer's {@code id} names it. */
  private static void created(RoutingContext ctx, Future<JsonObject> answer, String collection) {
    answer.onSuccess(body -> {
      ctx.response().setStatusCode(201).putHeader("location", collection + body.getValue("id"));
      JsonBodies.send(ctx, body);
    }).onFailure(ctx::fail);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
