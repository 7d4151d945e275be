package dev.promptlab.textopt;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetUpload;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPromptSaved;
import dev.promptlab.contract.TextPrompts;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the textopt verticle on a Vert.x with a tight event-loop budget against the real embedded PostgreSQL and
 * talks to it only over its addresses; what it stored is read back with SQL.
 */
@ExtendWith(BlockedThreadGuard.class)
class TextoptVerticleTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    vertx = TestVertx.create();
    await(vertx.deployVerticle(new TextoptVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("db", TestDatabase.pgOptions()).put("max_dataset_rows", 200))));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private Object request(String address, JsonObject body) {
    return await(vertx.eventBus().request(address, body)).body();
  }

  private int failureCode(String address, JsonObject body) {
    Throwable failure = assertThrows(RuntimeException.class, () -> request(address, body));
    while (!(failure instanceof ReplyException) && failure.getCause() != null) {
      failure = failure.getCause();
    }
    return assertInstanceOf(ReplyException.class, failure, String.valueOf(failure)).failureCode();
  }

  @Test
  void everyAcceptedRowIsStoredOnceWithItsSplitAndMetadataAsJson() {
    StringBuilder file = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      file.append(new JsonObject().put("id", "r" + i).put("input", "question " + i).put("expected", "answer " + i)
        .put("source", new JsonObject().put("page", i)).encode()).append('\n');
    }
    DatasetReport report = DatasetReport.fromJson((JsonObject) request(Addresses.TEXTOPT_DATASET_CREATE,
      new DatasetUpload("hundred", "h.jsonl", null, 0.25, Buffer.buffer(file.toString()), "ana@example.com")
        .toJson()));
    long id = report.dataset().id();
    assertEquals(100, report.dataset().rows());
    assertEquals(25, report.dataset().evalRows());
    assertEquals(25, TestDatabase.count("SELECT count(*) FROM textopt_dataset_rows WHERE dataset_id = " + id
      + " AND split = 'eval'"));
    assertEquals(75, TestDatabase.count("SELECT count(*) FROM textopt_dataset_rows WHERE dataset_id = " + id
      + " AND split = 'train'"));
    assertEquals(100, TestDatabase.count("SELECT count(*) FROM textopt_dataset_rows WHERE dataset_id = " + id
      + " AND jsonb_typeof(metadata) = 'object' AND (metadata->'source'->>'page')::int = ordinal"
      + " AND row_id = 'r' || ordinal AND line = ordinal"));
    assertEquals(0, TestDatabase.count("SELECT jsonb_array_length(rejected) FROM textopt_datasets WHERE id = " + id));
    assertEquals("ana@example.com", DatasetReport.fromJson((JsonObject) request(Addresses.TEXTOPT_DATASET_SHOW,
      new RecordId(id, null).toJson())).dataset().uploadedBy());
  }

  @Test
  void aRefusedFileStoresNothing() {
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.TEXTOPT_DATASET_CREATE,
      new DatasetUpload("bad", "b.csv", null, null, Buffer.buffer("question,answer\na,b\n"), null).toJson()));
    StringBuilder many = new StringBuilder("input,expected\n");
    for (int i = 0; i < 201; i++) {
      many.append(i).append(",x\n");
    }
    assertEquals(FailureCodes.TOO_LARGE, failureCode(Addresses.TEXTOPT_DATASET_CREATE,
      new DatasetUpload("many", "m.csv", null, null, Buffer.buffer(many.toString()), null).toJson()));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM textopt_datasets"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM textopt_dataset_rows"));
  }

  @Test
  void malformedRequestsAreAnsweredAsInvalidAndUnknownIdsAsNotFound() {
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.TEXTOPT_DATASET_CREATE,
      new JsonObject().put("name", "no data")));
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.TEXTOPT_PROMPT_CREATE,
      new JsonObject().put("name", "n").put("system_prompt", "s").put("output_prompt", "").put("id", 3)));
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.TEXTOPT_PROMPT_UPDATE,
      new TextPromptDraft(null, "n", "s", "", null).toJson()));
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.TEXTOPT_PROMPTS,
      new JsonObject().put("limit", 0)));
    assertEquals(FailureCodes.INVALID_REQUEST, failureCode(Addresses.TEXTOPT_DATASET_SHOW,
      new JsonObject().put("id", "seven")));
    assertEquals(FailureCodes.NOT_FOUND, failureCode(Addresses.TEXTOPT_DATASET_SHOW, new RecordId(7, null).toJson()));
    assertEquals(FailureCodes.NOT_FOUND, failureCode(Addresses.TEXTOPT_PROMPT_SHOW, new RecordId(7, null).toJson()));
    assertEquals(FailureCodes.NOT_FOUND, failureCode(Addresses.TEXTOPT_PROMPT_UPDATE,
      new TextPromptDraft(7L, null, "s", "", null).toJson()));
  }

  @Test
  void aVersionIsNeverUpdatedInTheDatabase() {
    TextPromptSaved saved = TextPromptSaved.fromJson((JsonObject) request(Addresses.TEXTOPT_PROMPT_CREATE,
      new TextPromptDraft(null, "p", "first", "", "ana@example.com").toJson()));
    String before = versionRow(saved.id(), 1);
    request(Addresses.TEXTOPT_PROMPT_UPDATE, new TextPromptDraft(saved.id(), null, "second", "x", "bob@example.com")
      .toJson());
    assertEquals(before, versionRow(saved.id(), 1), "version 1 is as it was written");
    assertEquals(2, TextPrompts.fromJson((JsonObject) request(Addresses.TEXTOPT_PROMPTS,
      new ListRequest(10).toJson())).prompts().get(0).version());
    assertTrue(versionRow(saved.id(), 2).contains("second|x|1|manual|bob@example.com"), versionRow(saved.id(), 2));
  }

  private static String versionRow(long promptId, int version) {
    try (var connection = TestDatabase.connect(); var statement = connection.createStatement();
         var rows = statement.executeQuery("SELECT system_prompt || '|' || output_prompt || '|'"
           + " || coalesce(parent_version::text, '-') || '|' || origin || '|' || created_by || '|' || created_at FROM textopt_prompt_versions"
           + " WHERE prompt_id = " + promptId + " AND version = " + version)) {
      rows.next();
      return rows.getString(1);
    } catch (java.sql.SQLException e) {
      throw new CompletionException(e);
    }
  }
}
