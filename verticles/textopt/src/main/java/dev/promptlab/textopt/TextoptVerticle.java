package dev.promptlab.textopt;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetUpload;
import dev.promptlab.contract.Datasets;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.RequestFields;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPrompts;
import dev.promptlab.textopt.dataset.DatasetParser;
import dev.promptlab.textopt.dataset.DatasetRefusal;
import dev.promptlab.textopt.dataset.DatasetSplit;
import dev.promptlab.textopt.dataset.ParsedDataset;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text-prompt optimisation over the bus. So far: datasets (a file read row by row on a worker, split reproducibly and
 * stored with the report of its refused rows) and text prompts with immutable versions. Every answer is built from
 * the contract's records; every failure goes through {@link BusFailure#reply}.
 */
public final class TextoptVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TextoptVerticle.class);
  private static final String NAME = "textopt";

  private TextoptSettings settings;
  private Pool pool;
  private WorkerExecutor parsers;
  private DatasetParser parser;
  private DatasetStore datasets;
  private PromptStore prompts;

  @Override
  public Future<?> start() {
    try {
      settings = TextoptSettings.from(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(settings.poolSize()))
      .connectingTo(new PgConnectOptions(settings.db())).using(vertx).build();
    parsers = vertx.createSharedWorkerExecutor("promptlab-textopt", settings.parseThreads());
    parser = new DatasetParser(settings.limits());
    datasets = new DatasetStore(pool);
    prompts = new PromptStore(pool);
    return Future.all(List.of(
        answer(Addresses.TEXTOPT_DATASET_CREATE, this::createDataset),
        answer(Addresses.TEXTOPT_DATASETS, body -> datasets.latest(ListRequest.fromJson(body).limit())
          .map(list -> new Datasets(list).toJson())),
        answer(Addresses.TEXTOPT_DATASET_SHOW, body -> {
          long id = RecordId.fromJson(body).id();
          return datasets.find(id).compose(found -> found.isPresent() ? Future.succeededFuture(found.get().toJson())
            : Future.failedFuture(BusFailure.notFound("no dataset " + id)));
        }),
        answer(Addresses.TEXTOPT_PROMPT_CREATE, body -> {
          TextPromptDraft draft = TextPromptDraft.fromJson(body);
          if (draft.id() != null) {
            throw new IllegalArgumentException("a new prompt has no id yet; change a prompt through its own address");
          }
          return prompts.create(draft).map(saved -> saved.toJson());
        }),
        answer(Addresses.TEXTOPT_PROMPT_UPDATE, body -> {
          TextPromptDraft draft = TextPromptDraft.fromJson(body);
          if (draft.id() == null) {
            throw new IllegalArgumentException("id (the prompt to change) is required");
          }
          return prompts.update(draft).map(saved -> saved.toJson());
        }),
        answer(Addresses.TEXTOPT_PROMPT_DELETE, body -> prompts.delete(RecordId.fromJson(body).id())
          .map(deleted -> deleted.toJson())),
        answer(Addresses.TEXTOPT_PROMPTS, body -> prompts.latest(ListRequest.fromJson(body).limit())
          .map(list -> new TextPrompts(list).toJson())),
        answer(Addresses.TEXTOPT_PROMPT_SHOW, body -> prompts.find(RecordId.fromJson(body).id())
          .map(prompt -> prompt.toJson())),
        answer(Addresses.TEXTOPT_PROMPT_VERSIONS, body -> prompts.versions(RecordId.fromJson(body).id())
          .map(versions -> versions.toJson())),
        vertx.eventBus().consumer(Addresses.ping(NAME), m -> m.reply(PingReply.OK.toJson())).completion()))
      .onSuccess(v -> LOG.info("textopt: datasets up to {} bytes and {} rows, {} held out by default",
        settings.limits().maxBytes(), settings.limits().maxRows(), settings.evalRatio()));
  }

  @Override
  public Future<?> stop() {
    // A file being read finishes on its worker; its answer then finds the pool closed and fails the request.
    if (parsers != null) {
      parsers.close();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /** Registers a request/reply consumer whose malformed requests and failures are answered with their code. */
  private Future<Void> answer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<Object>consumer(address, message -> {
      Future<JsonObject> reply;
      try {
        reply = handler.apply(RequestFields.body(message.body()));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(message::reply).onFailure(failure -> BusFailure.reply(message, storage(failure), NAME));
    }).completion();
  }

  /** A database failure is answered as one (503, try again), not as a fault of this verticle. */
  private static Throwable storage(Throwable failure) {
    if (failure instanceof BusFailure || BusFailure.codeOf(failure) == FailureCodes.INVALID_REQUEST) {
      return failure;
    }
    if (failure instanceof PgException || failure instanceof VertxException) {
      return new BusFailure(FailureCodes.STORAGE_FAILED, "the text prompt database failed: try again later", failure);
    }
    return failure;
  }

  private Future<JsonObject> createDataset(JsonObject body) {
    // The upload is decoded, read and split on a worker: a large file takes far longer than an event loop may.
    return parsers.executeBlocking(() -> {
      DatasetUpload upload = DatasetUpload.fromJson(body);
      byte[] data = upload.data().getBytes();
      ParsedDataset parsed;
      try {
        parsed = parser.parse(data, upload.format(), upload.filename());
      } catch (DatasetRefusal refusal) {
        throw new BusFailure(refusal.tooLarge() ? FailureCodes.TOO_LARGE : FailureCodes.INVALID_REQUEST,
          refusal.getMessage());
      }
      double ratio = upload.evalRatio() == null ? settings.evalRatio() : upload.evalRatio();
      String sha256 = DatasetSplit.sha256(data);
      long seed = DatasetSplit.seedOf(sha256);
      return new DatasetStore.NewDataset(upload.name(), parsed,
        DatasetSplit.evalRows(parsed.rows().size(), ratio, seed), ratio, seed, sha256, data.length,
        upload.uploadedBy() == null ? "admin" : upload.uploadedBy());
    }, false).compose(dataset -> datasets.save(dataset)).map(DatasetReport::toJson)
      .onSuccess(report -> LOG.info("textopt: dataset {} stored: {} rows ({} held out), {} refused",
        report.getLong("id"), report.getInteger("rows"), report.getInteger("eval_rows"),
        report.getInteger("rejected_count")));
  }
}
