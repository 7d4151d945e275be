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
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunChanged;
import dev.promptlab.contract.TextRunCreated;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextRunRequest;
import dev.promptlab.contract.TextRunSettings;
import dev.promptlab.contract.TextRuns;
import dev.promptlab.llm.CachingChatClient;
import dev.promptlab.llm.ChatClient;
import dev.promptlab.llm.ChatEndpoint;
import dev.promptlab.llm.OpenAiChatClient;
import dev.promptlab.textopt.cache.PgResponseCache;
import dev.promptlab.textopt.dataset.DatasetParser;
import dev.promptlab.textopt.dataset.DatasetRefusal;
import dev.promptlab.textopt.dataset.DatasetSplit;
import dev.promptlab.textopt.dataset.ParsedDataset;
import dev.promptlab.textopt.judge.JudgePrompt;
import dev.promptlab.textopt.judge.JudgeRubric;
import dev.promptlab.textopt.metrics.MetricRegistry;
import dev.promptlab.textopt.run.CandidateOrder;
import dev.promptlab.textopt.run.MetaModelOrder;
import dev.promptlab.textopt.run.MetaPrompt;
import dev.promptlab.textopt.run.RunMetric;
import dev.promptlab.textopt.run.StopRules;
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
 * Text-prompt optimisation over the bus: datasets (a file read row by row on a worker, split reproducibly and stored
 * with the report of its refused rows), text prompts with immutable versions, and the runs that improve a prompt
 * against a dataset (carried out by {@link RunLoop}, admitted by {@link RunScheduler}). Every answer is built from
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
  private RunStore runs;
  private RunSettings runSettings;
  private WorkerExecutor scorers;
  private ChatClient taskModel;
  private ChatClient optimizerModel;
  private ChatClient judgeModel;
  private MetaPrompt metaPrompt;
  private JudgePrompt judgePrompt;
  private RunScheduler scheduler;
  private final MetricRegistry metrics = MetricRegistry.standard();
  private final CandidateOrder candidateOrder;
  private CandidateOrder order;

  /**
   * Candidates are evaluated in the meta-model's order when {@code meta_model} is on, in the optimizer model's
   * otherwise.
   */
  public TextoptVerticle() {
    this(null);
  }

  /** Candidates are evaluated in {@code candidateOrder}'s order (a test's), or as configured when it is null. */
  public TextoptVerticle(CandidateOrder candidateOrder) {
    this.candidateOrder = candidateOrder;
  }

  @Override
  public Future<?> start() {
    try {
      settings = TextoptSettings.from(config());
      runSettings = RunSettings.from(config(), System::getenv);
      metaPrompt = MetaPrompt.packaged();
      judgePrompt = JudgePrompt.packaged();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(settings.poolSize()))
      .connectingTo(new PgConnectOptions(settings.db())).using(vertx).build();
    parsers = vertx.createSharedWorkerExecutor("promptlab-textopt", settings.parseThreads());
    parser = new DatasetParser(settings.limits());
    datasets = new DatasetStore(pool);
    prompts = new PromptStore(pool);
    runs = new RunStore(pool);
    scorers = vertx.createSharedWorkerExecutor("promptlab-textopt-scoring", runSettings.scoreThreads());
    PgResponseCache cache = new PgResponseCache(pool);
    taskModel = client(runSettings.taskModel(), cache);
    optimizerModel = client(runSettings.optimizerModel(), cache);
    judgeModel = client(runSettings.judgeModel(), cache);
    order = candidateOrder != null ? candidateOrder : runSettings.metaModel()
      ? new MetaModelOrder(runSettings.metaModelMinHistory(), runSettings.metaModelMaxHistory())
      : CandidateOrder.PROPOSAL_ORDER;
    scheduler = new RunScheduler(runs, runSettings.maxParallelRuns(), this::launch);
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
        answer(Addresses.TEXTOPT_RUN_CREATE, this::createRun),
        answer(Addresses.TEXTOPT_RUNS, body -> runs.latest(ListRequest.fromJson(body).limit())
          .map(list -> new TextRuns(list).toJson())),
        answer(Addresses.TEXTOPT_RUN_SHOW, body -> runs.show(RecordId.fromJson(body).id()).map(TextRun::toJson)),
        answer(Addresses.TEXTOPT_RUN_CANCEL, this::cancelRun),
        answer(Addresses.TEXTOPT_RUN_PROMOTE, body -> runs.promote(RecordId.fromJson(body).id())
          .map(promoted -> promoted.toJson())),
        vertx.eventBus().consumer(Addresses.ping(NAME), m -> m.reply(PingReply.OK.toJson())).completion()))
      .compose(v -> scheduler.start())
      .onSuccess(v -> LOG.info("textopt: datasets up to {} bytes and {} rows, {} held out by default; task model {},"
          + " optimizer model {}, judge model {}, {} run(s) at once", settings.limits().maxBytes(),
        settings.limits().maxRows(), settings.evalRatio(), describe(runSettings.taskModel()),
        describe(runSettings.optimizerModel()), describe(runSettings.judgeModel()), runSettings.maxParallelRuns()));
  }

  private ChatClient client(ChatEndpoint endpoint, PgResponseCache cache) {
    return endpoint == null ? null : new CachingChatClient(new OpenAiChatClient(vertx, endpoint), cache);
  }

  private static String describe(ChatEndpoint endpoint) {
    return endpoint == null ? "not configured" : endpoint.model() + " at " + endpoint.baseUrl();
  }

  private RunScheduler.Active launch(long runId) {
    RunControl control = new RunControl(runId, vertx.eventBus());
    // The scorer is built again from the stored run: it was checked when the run was created.
    Future<Void> done = runs.state(runId)
      .compose(state -> scorer(state.settings(), control))
      .compose(scorer -> new RunLoop(vertx, runs, control, runSettings, taskModel, optimizerModel, metaPrompt,
        order, scorers, scorer).run())
      // The loop stores its own end; this is for a run it could not even start (its metric no longer builds).
      .recover(failure -> control.stopping() ? Future.succeededFuture()
        : runs.finish(runId, TextRun.FAILED, StopRules.ERROR, "the run could not start: " + failure.getMessage())
          .map(finished -> {
            if (finished) {
              control.finished(TextRun.FAILED, StopRules.ERROR);
            }
            return null;
          }));
    return new RunScheduler.Active(control, done);
  }

  /**
   * How a run's answers are scored: by its metric (a JSON Schema or a pattern is compiled: CPU work in the size of
   * the option, so on a worker), or by the judge model. Fails with INVALID_REQUEST for a metric or options that do
   * not build, PROVIDER_UNAVAILABLE for a judged run while no judge model is configured.
   */
  private Future<RowScorer> scorer(TextRunSettings run, RunControl control) {
    if (!RunMetric.judged(run.targetMetric())) {
      return scorers.executeBlocking(() -> new MetricScorer(RunMetric.of(metrics, run.targetMetric(),
        run.metricOptions()), scorers), false);
    }
    return judgeRubric(run).map(rubric -> new JudgeScorer(judgeModel, judgePrompt, rubric, control, scorers,
      runSettings.judgeAttempts()));
  }

  private Future<JudgeRubric> judgeRubric(TextRunSettings run) {
    try {
      JudgeRubric rubric = RunMetric.rubric(run.metricOptions());
      String missing = runSettings.missingJudge();
      return missing == null ? Future.succeededFuture(rubric)
        : Future.failedFuture(new BusFailure(FailureCodes.PROVIDER_UNAVAILABLE, missing));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> createRun(JsonObject body) {
    TextRunRequest request = TextRunRequest.fromJson(body);
    String missing = runSettings.missingModels();
    if (missing != null) {
      return Future.failedFuture(new BusFailure(FailureCodes.PROVIDER_UNAVAILABLE, missing));
    }
    Future<?> checked = RunMetric.judged(request.settings().targetMetric()) ? judgeRubric(request.settings())
      : scorers.executeBlocking(() -> RunMetric.of(metrics, request.settings().targetMetric(),
        request.settings().metricOptions()), false);
    return checked.compose(ok -> runs.create(request))
      .map(id -> {
        vertx.eventBus().publish(Addresses.EVENT_TEXTOPT_RUN_CHANGED, new TextRunChanged(id, TextRun.QUEUED, null,
          null, new TextRunProgress("queued", 0, 0), 0, 0, 0, null).toJson());
        scheduler.fill();
        LOG.info("textopt: run {} queued: prompt {} on dataset {} by {}", id, request.settings().promptId(),
          request.settings().datasetId(), request.settings().targetMetric());
        return new TextRunCreated(id, TextRun.QUEUED).toJson();
      });
  }

  private Future<JsonObject> cancelRun(JsonObject body) {
    long id = RecordId.fromJson(body).id();
    return runs.cancel(id).compose(was -> {
      scheduler.cancelled(id);
      return runs.show(id).map(run -> {
        vertx.eventBus().publish(Addresses.EVENT_TEXTOPT_RUN_CHANGED, new TextRunChanged(id, run.status(), was,
          run.stopReason(), run.progress(), run.iterations().size(), run.costUsd(), run.tokens(),
          run.best() == null ? null : run.best().metrics().getDouble(run.settings().targetMetric())).toJson());
        return run.toJson();
      });
    });
  }

  @Override
  public Future<?> stop() {
    // Runs stop before their next call and stay running in the database: the next start resumes them. Closing the
    // clients fails the calls in flight, whose answers would have nowhere to go.
    if (scheduler != null) {
      scheduler.stop();
    }
    for (ChatClient client : new ChatClient[] {taskModel, optimizerModel, judgeModel}) {
      if (client != null) {
        client.close();
      }
    }
    // A file being read finishes on its worker; its answer then finds the pool closed and fails the request.
    if (parsers != null) {
      parsers.close();
    }
    if (scorers != null) {
      scorers.close();
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
