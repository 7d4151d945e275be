package dev.promptlab.textopt;

import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunBest;
import dev.promptlab.contract.TextRunCandidate;
import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.contract.TextRunIteration;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextRunSettings;
import dev.promptlab.textopt.RunStore.IterationState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** How the stored rows of a run read as the contract's documents (the JSON columns included). */
final class RunDocuments {

  private RunDocuments() {
  }

  static TextRunIteration iteration(IterationState it) {
    return new TextRunIteration(it.n(), it.promptVersion(), it.metrics(), it.costUsd(), it.tokens(),
      it.candidates().stream().map(c -> new TextRunCandidate(c.promptVersion(), c.metrics(), c.predictedGain(),
        c.metrics() != null, c.accepted())).toList(), it.failures());
  }

  static TextRun run(Row row, List<TextRunIteration> iterations) {
    String best = row.getString("best_metrics");
    OffsetDateTime finished = row.getOffsetDateTime("finished_at");
    return new TextRun(row.getLong("id"), row.getString("status"), row.getString("stop_reason"), settings(row),
      row.getBigDecimal("cost_usd").doubleValue(), row.getLong("tokens"),
      new TextRunProgress(row.getString("step"), row.getInteger("step_done"), row.getInteger("step_total")),
      iterations, best == null ? null : new TextRunBest(row.getInteger("best_version"), new JsonObject(best)),
      row.getString("error"), row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant().toString(),
      finished == null ? null : finished.toInstant().toString());
  }

  static TextRunSettings settings(Row row) {
    BigDecimal budget = row.getBigDecimal("budget_usd");
    return new TextRunSettings(row.getLong("dataset_id"), row.getLong("prompt_id"), row.getString("target_metric"),
      new JsonObject(row.getString("metric_options")), row.getDouble("target_threshold"), row.getInteger("patience"),
      row.getInteger("max_iterations"), row.getInteger("candidates_per_iteration"),
      budget == null ? null : budget.doubleValue(), row.getDouble("margin"));
  }

  static JsonObject json(String text) {
    return text == null ? null : new JsonObject(text);
  }

  static List<TextRunFailure> failures(String text) {
    List<TextRunFailure> list = new ArrayList<>();
    new JsonArray(text).forEach(item -> list.add(TextRunFailure.fromJson((JsonObject) item)));
    return list;
  }
}
