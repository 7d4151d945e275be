package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A text-prompt optimisation run ({@link Addresses#TEXTOPT_RUN_SHOW}): its settings at the top level, its status,
 * why it stopped, what it has spent, where it is, its iterations and its best prompt version so far.
 *
 * @param status {@code queued}, {@code running}, {@code succeeded} (the threshold was reached), {@code stopped}
 *     (patience, iterations or budget ran out), {@code failed} (an error outlived its retries) or {@code cancelled}
 * @param stopReason {@code threshold}, {@code patience}, {@code max_iterations}, {@code budget}, {@code cancelled} or
 *     {@code error}; null while the run goes on
 * @param iterations oldest first; empty in lists ({@link Addresses#TEXTOPT_RUNS})
 * @param best null until the first iteration has scored the starting prompt
 * @param error what went wrong when the run failed, else null
 */
public record TextRun(long id, String status, String stopReason, TextRunSettings settings, double costUsd,
                      long tokens, TextRunProgress progress, List<TextRunIteration> iterations, TextRunBest best,
                      String error, String createdBy, String createdAt, String finishedAt) {

  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String STOPPED = "stopped";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  /** The statuses a run never leaves. */
  public static final Set<String> FINAL = Set.of(SUCCEEDED, STOPPED, FAILED, CANCELLED);

  public TextRun {
    iterations = List.copyOf(iterations);
  }

  public JsonObject toJson() {
    return settings.writeInto(new JsonObject().put("id", id).put("status", status).put("stop_reason", stopReason))
      .put("cost_usd", costUsd).put("tokens", tokens).put("progress", progress.toJson())
      .put("iterations", ReplyFields.array(iterations, TextRunIteration::toJson))
      .put("best", best == null ? null : best.toJson()).put("error", error).put("created_by", createdBy)
      .put("created_at", createdAt).put("finished_at", finishedAt);
  }

  public static TextRun fromJson(JsonObject json) {
    return ReplyFields.typed("a run", () -> new TextRun(json.getLong("id"), json.getString("status"),
      json.getString("stop_reason"), TextRunSettings.fromJson(json), json.getDouble("cost_usd"),
      json.getLong("tokens"), TextRunProgress.fromJson(json.getJsonObject("progress")),
      ReplyFields.list(json, "iterations", TextRunIteration::fromJson),
      ReplyFields.optional(json, "best", TextRunBest::fromJson), json.getString("error"),
      json.getString("created_by"), json.getString("created_at"), json.getString("finished_at")));
  }
}
