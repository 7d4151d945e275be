package dev.promptlab.http.ui;

import dev.promptlab.contract.TextRunSettings;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The start form's fields as run settings; each refusal carries the key of the page's text. */
final class RunForm {

  private RunForm() {
  }

  static Future<TextRunSettings> read(RoutingContext ctx) {
    try {
      JsonObject json = new JsonObject()
        .put("dataset_id", whole(ctx, "dataset_id", "run_error_dataset"))
        .put("prompt_id", whole(ctx, "prompt_id", "run_error_prompt"))
        .put("target_metric", PageFlow.form(ctx, "target_metric"))
        .put("target_threshold", decimal(ctx, "target_threshold", "run_error_threshold"))
        .put("patience", whole(ctx, "patience", "run_error_whole"))
        .put("max_iterations", whole(ctx, "max_iterations", "run_error_whole"))
        .put("candidates_per_iteration", whole(ctx, "candidates_per_iteration", "run_error_whole"))
        .put("budget_usd", decimal(ctx, "budget_usd", "run_error_budget"))
        .put("metric_options", metricOptions(ctx));
      if (json.getValue("dataset_id") == null) {
        throw ApiError.badRequest("dataset_id is required").withMessageKey("run_error_dataset");
      }
      if (json.getValue("prompt_id") == null) {
        throw ApiError.badRequest("prompt_id is required").withMessageKey("run_error_prompt");
      }
      if (json.getValue("target_metric") == null) {
        throw ApiError.badRequest("target_metric is required").withMessageKey("run_error_metric");
      }
      return Future.succeededFuture(TextRunSettings.fromJson(json));
    } catch (ApiError e) {
      return Future.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiError.badRequest(e.getMessage()).withMessageKey("run_error_invalid"));
    }
  }

  /**
   * The schema for {@code json_schema}, the pattern for {@code regex}, the rubric (and a scale when both ends are
   * given) for {@code llm_judge}; nothing for the other metrics.
   */
  private static JsonObject metricOptions(RoutingContext ctx) {
    JsonObject options = new JsonObject();
    String metric = PageFlow.form(ctx, "target_metric");
    if ("json_schema".equals(metric)) {
      String schema = PageFlow.form(ctx, "json_schema");
      if (schema == null) {
        throw ApiError.badRequest("json_schema is required for the json_schema metric")
          .withMessageKey("run_error_schema");
      }
      try {
        options.put("json_schema", new JsonObject(schema));
      } catch (DecodeException e) {
        throw ApiError.badRequest("json_schema is not a JSON object: " + e.getMessage())
          .withMessageKey("run_error_schema");
      }
    } else if ("regex".equals(metric)) {
      String pattern = PageFlow.form(ctx, "pattern");
      if (pattern == null) {
        throw ApiError.badRequest("pattern is required for the regex metric").withMessageKey("run_error_pattern");
      }
      options.put("pattern", pattern);
    } else if ("llm_judge".equals(metric)) {
      String rubric = PageFlow.form(ctx, "rubric");
      if (rubric == null) {
        throw ApiError.badRequest("rubric is required for the llm_judge metric").withMessageKey("run_error_rubric");
      }
      options.put("rubric", rubric);
      Long lowest = whole(ctx, "scale_lowest", "run_error_scale");
      Long highest = whole(ctx, "scale_highest", "run_error_scale");
      if (lowest != null || highest != null) {
        if (lowest == null || highest == null) {
          throw ApiError.badRequest("give both ends of the judge's scale, or neither")
            .withMessageKey("run_error_scale");
        }
        options.put("scale", new JsonArray().add(lowest).add(highest));
      }
    }
    return options;
  }

  private static Long whole(RoutingContext ctx, String name, String key) {
    String value = PageFlow.form(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number, got " + value).withMessageKey(key);
    }
  }

  /** A decimal number written with a point or, as a Spanish page's users write it, a comma. */
  private static Double decimal(RoutingContext ctx, String name, String key) {
    String value = PageFlow.form(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      double parsed = Double.parseDouble(value.replace(',', '.'));
      if (!Double.isFinite(parsed)) {
        throw new NumberFormatException(value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a number, got " + value).withMessageKey(key);
    }
  }
}
