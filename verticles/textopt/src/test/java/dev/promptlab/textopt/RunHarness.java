package dev.promptlab.textopt;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetUpload;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPromptSaved;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunCreated;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.textopt.run.CandidateOrder;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A textopt verticle on the real embedded PostgreSQL with its task and optimizer models on {@link ScriptedModels},
 * and the dataset and prompt a run needs.
 */
final class RunHarness {

  final Vertx vertx;
  final ScriptedModels models;
  String deployment;

  RunHarness(Vertx vertx, ScriptedModels models) {
    this.vertx = vertx;
    this.models = models;
  }

  JsonObject config() {
    return new JsonObject().put("db", TestDatabase.pgOptions())
      .put("task_model", models.endpoint(ScriptedModels.TASK))
      .put("optimizer_model", models.endpoint(ScriptedModels.OPTIMIZER))
      .put("step_retry_delay_ms", 0).put("training_rows_per_iteration", 10);
  }

  /** The verticle with the candidate ordering its configuration chooses. */
  RunHarness deploy(JsonObject config) {
    return deploy(config, null);
  }

  RunHarness deploy(JsonObject config, CandidateOrder order) {
    deployment = await(vertx.deployVerticle(new TextoptVerticle(order), new DeploymentOptions().setConfig(config)));
    return this;
  }

  void undeploy() {
    await(vertx.undeploy(deployment));
  }

  JsonObject request(String address, JsonObject body) {
    return (JsonObject) await(vertx.eventBus().request(address, body)).body();
  }

  ReplyException failure(String address, JsonObject body) {
    Throwable failure = assertThrows(RuntimeException.class, () -> request(address, body));
    while (!(failure instanceof ReplyException) && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return assertInstanceOf(ReplyException.class, failure, String.valueOf(failure));
  }

  /** A dataset of {@code rows} rows {@code item i} → {@code answer i}, half of them held out. */
  long dataset(int rows) {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      file.append(new JsonObject().put("id", "r" + i).put("input", "item " + i).put("expected", "answer " + i)
        .encode()).append('\n');
    }
    return DatasetReport.fromJson(request(Addresses.TEXTOPT_DATASET_CREATE, new DatasetUpload("items", "items.jsonl",
      null, 0.5, Buffer.buffer(file.toString()), "ana@example.com").toJson())).dataset().id();
  }

  long prompt(String name, int level) {
    return TextPromptSaved.fromJson(request(Addresses.TEXTOPT_PROMPT_CREATE, new TextPromptDraft(null, name,
      "Answer the item. level=" + level, "", "ana@example.com").toJson())).id();
  }

  /** A run request with exact match and the given settings over the defaults. */
  static JsonObject run(long dataset, long prompt) {
    return new JsonObject().put("dataset_id", dataset).put("prompt_id", prompt).put("target_metric", "exact_match")
      .put("requested_by", "ana@example.com");
  }

  long start(JsonObject run) {
    return TextRunCreated.fromJson(request(Addresses.TEXTOPT_RUN_CREATE, run)).id();
  }

  TextRun show(long id) {
    return TextRun.fromJson(request(Addresses.TEXTOPT_RUN_SHOW, new RecordId(id, null).toJson()));
  }

  TextRun finished(long id) {
    return Eventually.value("run " + id + " ends", () -> show(id), run -> TextRun.FINAL.contains(run.status()));
  }
}
