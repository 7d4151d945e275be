package dev.promptlab.evolution;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.RatingsRecorded;
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
import java.util.Set;
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
  static final int MAX_ASSIGN_COUNT = 10;
  private static final int MAX_LIST = 200;
  private static final Set<String> AB_STATUSES = Set.of("running", "awaiting_review", "decided", "cancelled");

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
        register(Addresses.EVOLUTION_ASSIGN, this::assign),
        register(Addresses.EVOLUTION_STATUS, body -> cycle.status()),
        register(Addresses.EVOLUTION_VERSIONS, body -> db.versions().versionsWithPerformance()),
        register(Addresses.EVOLUTION_VERSION_SHOW, this::showVersion),
        register(Addresses.EVOLUTION_DIFF, this::diff),
        register(Addresses.EVOLUTION_EVOLVE, body -> cycle.evolveNow(requester(body))),
        register(Addresses.EVOLUTION_HISTORY, body -> db.evolutions().evolutions(limit(body)).map(list ->
          new JsonObject().put("evolutions", list))),
        register(Addresses.EVOLUTION_PROMOTE, body -> cycle.promote(
          PromptVersionName.parse(RequestBodies.requiredString(body, "version")), requester(body), reason(body))),
        register(Addresses.EVOLUTION_ROLLBACK, body -> cycle.rollback(optionalVersion(body), requester(body),
          reason(body))),
        register(Addresses.EVOLUTION_AB_TESTS, this::abTests),
        register(Addresses.EVOLUTION_DECISIONS, body -> db.decisions().decisions(limit(body)).map(list ->
          new JsonObject().put("decisions", list))),
        register(Addresses.ping("evolution"), body -> Future.succeededFuture(new JsonObject().put("ok", true))),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_RATINGS_RECORDED, this::ratingsRecorded).completion())))
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

  /** A request/reply consumer whose handler answers with a future; every failure becomes message.fail. */
  private Future<Void> register(String address, Function<JsonObject, Future<?>> handler) {
    Handler<Message<Object>> adapter = message -> {
      Future<?> reply;
      try {
        reply = handler.apply(RequestBodies.body(message));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(message::reply).onFailure(failure -> BusFailure.reply(message, failure, "evolution"));
    };
    return vertx.eventBus().consumer(address, adapter).completion();
  }

  private Future<JsonObject> assign(JsonObject body) {
    String mode = RequestBodies.requiredString(body, "mode");
    if (!ParameterSpace.isMode(mode)) {
      throw BusFailure.invalid("mode must be one of " + ParameterSpace.MODES);
    }
    Object countValue = body.getValue("count", 1);
    if (!(countValue instanceof Integer count) || count < 1 || count > MAX_ASSIGN_COUNT) {
      throw BusFailure.invalid("count must be an integer from 1 to " + MAX_ASSIGN_COUNT);
    }
    return cycle.assign(count).map(reply -> reply.toJson());
  }

  private Future<JsonObject> showVersion(JsonObject body) {
    PromptVersionName name = PromptVersionName.parse(RequestBodies.requiredString(body, "version"));
    return vertx.executeBlocking(() -> store.loadNode(name))
      .map(node -> new JsonObject(PromptVersionJson.toCompactString(node)))
      .compose(document -> db.versions().versionSummary(name.toString()).map(summary -> {
        summary.ifPresent(s -> document.put("performance", s.getJsonObject("performance"))
          .put("is_current", s.getBoolean("is_current")));
        return document;
      }));
  }

  private Future<JsonObject> diff(JsonObject body) {
    PromptVersionName from = PromptVersionName.parse(RequestBodies.requiredString(body, "from"));
    PromptVersionName to = PromptVersionName.parse(RequestBodies.requiredString(body, "to"));
    return vertx.executeBlocking(() -> PromptDiff.between(store.load(from), store.load(to)))
      .map(node -> new JsonObject(PromptVersionJson.toCompactString(node)));
  }

  private Future<JsonObject> abTests(JsonObject body) {
    String status = RequestBodies.optionalString(body, "status");
    if (status != null && !AB_STATUSES.contains(status)) {
      throw BusFailure.invalid("status must be one of " + AB_STATUSES);
    }
    return db.abTests().abTests(status, limit(body)).map(list -> new JsonObject().put("ab_tests", list));
  }

  private static PromptVersionName optionalVersion(JsonObject body) {
    String version = RequestBodies.optionalString(body, "version");
    return version == null ? null : PromptVersionName.parse(version);
  }

  private static String requester(JsonObject body) {
    String by = RequestBodies.optionalString(body, "requested_by");
    if (by == null || by.isBlank()) {
      return "admin";
    }
    if (by.length() > 320) {
      throw BusFailure.invalid("requested_by must be at most 320 characters");
    }
    return by.strip();
  }

  private static String reason(JsonObject body) {
    String reason = RequestBodies.optionalString(body, "reason");
    if (reason != null && reason.length() > 500) {
      throw BusFailure.invalid("reason must be at most 500 characters");
    }
    return reason == null || reason.isBlank() ? null : reason.strip();
  }

  private static int limit(JsonObject body) {
    Object value = body.getValue("limit", 20);
    if (!(value instanceof Integer limit) || limit < 1 || limit > MAX_LIST) {
      throw BusFailure.invalid("limit must be an integer from 1 to " + MAX_LIST);
    }
    return limit;
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
