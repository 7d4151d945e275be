package dev.promptlab.evolution;

import dev.promptlab.contract.AbTests;
import dev.promptlab.contract.AbTestsRequest;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.AssignRequest;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.DecisionReply;
import dev.promptlab.contract.DiffRequest;
import dev.promptlab.contract.EvolutionRun;
import dev.promptlab.contract.EvolutionRuns;
import dev.promptlab.contract.EvolutionStatus;
import dev.promptlab.contract.EvolveRequest;
import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.NoArguments;
import dev.promptlab.contract.PingReply;
import dev.promptlab.contract.ProductionParameters;
import dev.promptlab.contract.ProductionParametersRequest;
import dev.promptlab.contract.PromoteRequest;
import dev.promptlab.contract.PromptDecisions;
import dev.promptlab.contract.PromptVersionDocument;
import dev.promptlab.contract.PromptVersions;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.RequestFields;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.VersionDiff;
import dev.promptlab.contract.VersionRequest;
import dev.promptlab.evolution.llm.OfflineProvider;
import dev.promptlab.evolution.llm.OpenAiChatProvider;
import dev.promptlab.evolution.llm.PromptEvolutionProvider;
import dev.promptlab.evolution.store.PromptDiff;
import dev.promptlab.evolution.store.PromptSeed;
import dev.promptlab.evolution.store.PromptStoreSeeder;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import dev.promptlab.evolution.store.PromptVersionStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prompt store and its evolution on the bus: which prompt version each sample uses, the versions with their
 * performance, evolutions from trainers' comments, A/B tests, promotion and rollback. Files under
 * {@code prompts_dir} (default {@code <data_dir>/prompts}) are the source of truth; on start an empty store is
 * seeded from the packaged {@link PromptSeed}, every version and the current pointer are mirrored into
 * prompt_versions (the files win) and whatever a crash left half done is completed. File I/O runs on workers.
 * Deploy one instance: the evolution it runs is tracked in the database, but carried out by this instance.
 */
public final class EvolutionVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EvolutionVerticle.class);
  private static final String NAME = "evolution";

  private EvolutionSettings settings;
  private Pool pool;
  private EvolutionTables db;
  private PromptVersionStore store;
  private PromptEvolutionProvider provider;
  private EvolutionCycle cycle;

  /** What the files say at start: every version (parents first) and the current one. */
  private record StoreSnapshot(List<PromptVersion> parentFirst, String current) {
  }

  @Override
  public Future<?> start() {
    try {
      settings = EvolutionSettings.from(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(settings.poolSize()))
      .connectingTo(new PgConnectOptions(settings.db())).using(vertx).build();
    db = EvolutionTables.over(pool);
    provider = EvolutionSettings.OPENAI.equals(settings.llm().provider())
      ? new OpenAiChatProvider(vertx, settings.llm()) : new OfflineProvider();
    return vertx.executeBlocking(this::openStore)
      .compose(snapshot -> db.versions().mirror(snapshot.parentFirst(), snapshot.current())
        .compose(before -> {
          cycle = new EvolutionCycle(vertx, settings, store, db, provider);
          return db.versions().refreshAllPerformance()
            .compose(done -> cycle.reconcile(snapshot.parentFirst(), snapshot.current(), before));
        }))
      .compose(done -> Future.all(List.of(
        register(Addresses.EVOLUTION_ASSIGN, AssignRequest::fromJson, request -> cycle.assign(request.count())
          .map(AssignReply::toJson)),
        register(Addresses.EVOLUTION_STATUS, NoArguments::fromJson, request -> cycle.status().map(EvolutionStatus::toJson)),
        register(Addresses.EVOLUTION_VERSIONS, NoArguments::fromJson,
          request -> db.versions().versionsWithPerformance().map(PromptVersions::toJson)),
        register(Addresses.EVOLUTION_VERSION_SHOW, VersionRequest::fromJson,
          request -> showVersion(request).map(PromptVersionDocument::toJson)),
        register(Addresses.EVOLUTION_DIFF, DiffRequest::fromJson, request -> diff(request).map(VersionDiff::toJson)),
        register(Addresses.EVOLUTION_EVOLVE, EvolveRequest::fromJson,
          request -> cycle.evolveNow(request.requestedBy()).map(EvolutionRun::toJson)),
        register(Addresses.EVOLUTION_HISTORY, ListRequest::fromJson, request -> db.evolutions()
          .evolutions(request.limit()).map(EvolutionRuns::toJson)),
        register(Addresses.EVOLUTION_PROMOTE, PromoteRequest::fromJson, request -> cycle.promote(
          PromptVersionName.parse(request.version()), request.requestedBy(), request.reason())
          .map(DecisionReply::toJson)),
        register(Addresses.EVOLUTION_ROLLBACK, PromoteRequest::rollback, request -> cycle.rollback(
          request.version() == null ? null : PromptVersionName.parse(request.version()), request.requestedBy(),
          request.reason()).map(DecisionReply::toJson)),
        register(Addresses.EVOLUTION_AB_TESTS, AbTestsRequest::fromJson, request -> db.abTests()
          .abTests(request.status(), request.limit()).map(AbTests::toJson)),
        register(Addresses.EVOLUTION_DECISIONS, ListRequest::fromJson, request -> db.decisions()
          .decisions(request.limit()).map(PromptDecisions::toJson)),
        register(Addresses.EVOLUTION_PRODUCTION_PARAMETERS, ProductionParametersRequest::fromJson,
          request -> cycle.productionParameters(request).map(ProductionParameters::toJson)),
        register(Addresses.ping(NAME), NoArguments::fromJson,
          request -> Future.succeededFuture(PingReply.OK.toJson())),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_RATINGS_RECORDED, this::ratingsRecorded).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_STUDY_UPDATED, this::studyUpdated).completion())))
      .onSuccess(done -> LOG.info("evolution verticle started on {} ({})", store.root(), settings.llm()));
  }

  /**
   * A graceful stop: no new evolution starts, the one in flight finishes within {@code stop_grace_ms} or records
   * itself as interrupted, and only then do the provider and the pool close, so no work is left to run on a
   * closed pool or a terminated event loop. Whatever still runs after that is recorded by the next start.
   */
  @Override
  public Future<?> stop() {
    Future<Void> settled = cycle == null ? Future.succeededFuture() : cycle.stop(settings.stopGraceMs());
    return settled.eventually(() -> {
      if (provider != null) {
        provider.close();
      }
      return pool == null ? Future.succeededFuture() : pool.close();
    });
  }

  private StoreSnapshot openStore() {
    if (PromptStoreSeeder.seedIfEmpty(settings.promptsDir(), PromptSeed::packaged)) {
      LOG.info("seeded the empty prompt store {} with the packaged prompts", settings.promptsDir().toAbsolutePath());
    }
    store = new PromptVersionStore(settings.promptsDir());
    List<PromptVersion> parentFirst = PromptVersionStore.parentFirst(store.loadAll());
    if (parentFirst.isEmpty()) {
      throw new IllegalStateException("the prompt store " + store.root() + " holds no version");
    }
    return new StoreSnapshot(parentFirst, store.current().toString());
  }

  /**
   * A request/reply consumer: the body is read by the address's contract record, the handler answers with a
   * future, and every failure becomes {@link BusFailure#reply}.
   */
  private <R> Future<Void> register(String address, Function<JsonObject, R> read, Function<R, Future<?>> handler) {
    Handler<Message<Object>> adapter = message -> {
      Future<?> reply;
      try {
        reply = handler.apply(read.apply(RequestFields.body(message.body())));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(message::reply).onFailure(failure -> BusFailure.reply(message, failure, NAME));
    };
    return vertx.eventBus().consumer(address, adapter).completion();
  }

  /** The version's file with its live performance in place of the one last written to the file. */
  private Future<PromptVersionDocument> showVersion(VersionRequest request) {
    PromptVersionName name = PromptVersionName.parse(request.version());
    return vertx.executeBlocking(() -> store.loadNode(name))
      .map(node -> PromptVersionDocument.fromJson(new JsonObject(PromptVersionJson.toCompactString(node))))
      .compose(file -> db.versions().versionSummary(name.toString()).map(summary -> summary
        .map(s -> new PromptVersionDocument(file.version(), file.createdAt(), file.createdBy(), file.parentVersion(),
          file.leonardo(), file.stablediffusion(), s.performance(), file.metadata(), s.isCurrent()))
        .orElse(file)));
  }

  private Future<VersionDiff> diff(DiffRequest request) {
    PromptVersionName from = PromptVersionName.parse(request.from());
    PromptVersionName to = PromptVersionName.parse(request.to());
    return vertx.executeBlocking(() -> PromptDiff.between(store.load(from), store.load(to)))
      .map(node -> VersionDiff.fromJson(new JsonObject(PromptVersionJson.toCompactString(node))));
  }

  /**
   * A study changed: after its phase 1, what it learned may be due to become the production parameters. A lost
   * update costs nothing lasting — every later rating of the study publishes another.
   */
  private void studyUpdated(Message<JsonObject> message) {
    StudyStatus study;
    try {
      study = StudyStatus.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed study update: {}", e.getMessage());
      return;
    }
    cycle.studyUpdated(study).onFailure(e -> LOG.warn("parameters learned by {} not written: {}", study.study(),
      e.getMessage()));
  }

  private void ratingsRecorded(Message<JsonObject> message) {
    RatingsRecorded event;
    try {
      event = RatingsRecorded.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed ratings event: {}", e.getMessage());
      return;
    }
    // The event only says that ratings were committed: the pass applies every rating not applied yet, by id, so a
    // replayed event counts nothing twice. Rating never depends on this: a failed pass leaves the ratings pending
    // for the next event or the next start.
    cycle.afterRatings()
      .onFailure(e -> LOG.warn("ratings of {} not fully applied to prompt evolution (they stay pending): {}",
        event.experimentId(), e.getMessage()));
  }
}
