package dev.promptlab.http;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetSummary;
import dev.promptlab.contract.Datasets;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextPrompt;
import dev.promptlab.contract.TextPrompts;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunCreated;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextRunPromoted;
import dev.promptlab.contract.TextRunRequest;
import dev.promptlab.contract.TextRuns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The textopt verticle's run addresses answered from runs a test puts in, in the contract's records, as
 * {@link FakeNeighbours} answers the other neighbours: a page's every state (queued, running at a given step, ended
 * for each reason, each refusal) is set directly rather than waited for. With one dataset ({@value #DATASET_ID}) and
 * one prompt ({@value #PROMPT_ID}) to choose from. The whole server with the real verticle is tested in the launcher
 * ({@code TextPagesBrowserTest}).
 */
final class FakeTextRuns {

  static final long DATASET_ID = 7;
  static final long PROMPT_ID = 4;
  static final String CREATED_AT = "2026-12-07T09:30:00Z";

  private final Vertx vertx;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  final Map<Long, TextRun> runs = new TreeMap<>();
  final List<TextRunRequest> requests = new ArrayList<>();
  /** When set, starting a run fails as the verticle does with no model configured. */
  boolean noModel;
  int currentVersion = 1;

  FakeTextRuns(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    on(Addresses.TEXTOPT_DATASETS, body -> new Datasets(List.of(dataset())).toJson());
    on(Addresses.TEXTOPT_DATASET_SHOW, body -> new DatasetReport(dataset(), List.of()).toJson());
    on(Addresses.TEXTOPT_PROMPTS, body -> new TextPrompts(List.of(prompt())).toJson());
    on(Addresses.TEXTOPT_PROMPT_SHOW, body -> prompt().toJson());
    on(Addresses.TEXTOPT_RUNS, body -> new TextRuns(runs.values().stream().map(r -> new TextRun(r.id(), r.status(),
      r.stopReason(), r.settings(), r.costUsd(), r.tokens(), r.progress(), List.of(), r.best(), r.error(),
      r.createdBy(), r.createdAt(), r.finishedAt())).toList()).toJson());
    on(Addresses.TEXTOPT_RUN_SHOW, body -> run(body).toJson());
    on(Addresses.TEXTOPT_RUN_CREATE, body -> {
      if (noModel) {
        throw new Refusal(FailureCodes.PROVIDER_UNAVAILABLE, "no task model is configured: set textopt.task_model");
      }
      TextRunRequest request = TextRunRequest.fromJson(body);
      requests.add(request);
      long id = runs.size() + 1;
      runs.put(id, new TextRun(id, TextRun.QUEUED, null, request.settings(), 0, 0,
        new TextRunProgress("queued", 0, 0), List.of(), null, null, request.requestedBy(), CREATED_AT, null));
      return new TextRunCreated(id, TextRun.QUEUED).toJson();
    });
    on(Addresses.TEXTOPT_RUN_CANCEL, body -> {
      TextRun r = run(body);
      if (TextRun.FINAL.contains(r.status())) {
        throw new Refusal(FailureCodes.CONFLICT, "run " + r.id() + " has ended already");
      }
      TextRun cancelled = new TextRun(r.id(), TextRun.CANCELLED, "cancelled", r.settings(), r.costUsd(), r.tokens(),
        new TextRunProgress("finished", 0, 0), r.iterations(), r.best(), null, r.createdBy(), r.createdAt(),
        CREATED_AT);
      runs.put(r.id(), cancelled);
      return cancelled.toJson();
    });
    on(Addresses.TEXTOPT_RUN_PROMOTE, body -> {
      TextRun r = run(body);
      if (r.best() == null) {
        throw new Refusal(FailureCodes.CONFLICT, "run " + r.id() + " has no best version yet");
      }
      int previous = currentVersion;
      currentVersion = r.best().promptVersion();
      return new TextRunPromoted(r.id(), PROMPT_ID, currentVersion, previous).toJson();
    });
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  void reset() {
    runs.clear();
    requests.clear();
    noModel = false;
    currentVersion = 1;
  }

  private static DatasetSummary dataset() {
    return new DatasetSummary(DATASET_ID, "capitales", "jsonl", 10, 8, 2, 0, 0.2, 42, "trainer@example.com",
      CREATED_AT);
  }

  private TextPrompt prompt() {
    return new TextPrompt(PROMPT_ID, "extracción", currentVersion, "You extract city names.", "", 3,
      "trainer@example.com", CREATED_AT, CREATED_AT);
  }

  private TextRun run(JsonObject body) {
    TextRun run = runs.get(RecordId.fromJson(body).id());
    if (run == null) {
      throw new Refusal(FailureCodes.NOT_FOUND, "no run " + body.getValue("id"));
    }
    return run;
  }

  private void on(String address, java.util.function.Function<JsonObject, JsonObject> answer) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(address, message -> {
      try {
        message.reply(answer.apply(message.body()));
      } catch (Refusal refusal) {
        message.fail(refusal.code, refusal.getMessage());
      }
    }));
  }

  /** A failure the real verticle answers with its code. */
  private static final class Refusal extends RuntimeException {

    final int code;

    Refusal(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
