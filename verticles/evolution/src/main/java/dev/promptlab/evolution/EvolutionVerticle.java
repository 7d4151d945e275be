package dev.promptlab.evolution;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prompt store on the bus: which prompt version each sample uses, the versions and their performance.
 * Files under {@code prompts_dir} are the source of truth; on start every version and the current pointer are
 * mirrored into prompt_versions (the files win). All file I/O runs on worker threads.
 */
public final class EvolutionVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EvolutionVerticle.class);
  static final int MAX_ASSIGN_COUNT = 10;

  private EvolutionSettings settings;
  private Pool pool;
  private EvolutionQueries queries;
  private PromptVersionStore store;

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
    queries = new EvolutionQueries(pool);
    return vertx.executeBlocking(this::openStore)
      .compose(snapshot -> queries.mirror(snapshot.parentFirst(), snapshot.current())
        .onSuccess(before -> before.filter(v -> !v.equals(snapshot.current())).ifPresent(v ->
          LOG.info("current prompt version set to {} from current.json (the database had {})", snapshot.current(), v))))
      .compose(done -> queries.refreshAllPerformance())
      .compose(done -> Future.all(List.of(
        register(Addresses.EVOLUTION_ASSIGN, this::assign),
        register(Addresses.EVOLUTION_STATUS, this::status),
        register(Addresses.EVOLUTION_VERSIONS, this::versions),
        register(Addresses.EVOLUTION_VERSION_SHOW, this::showVersion),
        register(Addresses.ping("evolution"), body -> Future.succeededFuture(new JsonObject().put("ok", true))),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_RATINGS_RECORDED, this::ratingsRecorded).completion())))
      .onSuccess(done -> LOG.info("evolution verticle started on {} (llm provider {})", store.root(),
        settings.llm().provider()));
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private StoreSnapshot openStore() {
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
        reply = handler.apply(BusReplies.body(message));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(message::reply).onFailure(failure -> BusReplies.fail(message, failure));
    };
    return vertx.eventBus().consumer(address, adapter).completion();
  }

  private Future<JsonObject> assign(JsonObject body) {
    String mode = BusReplies.requiredString(body, "mode");
    if (!ParameterSpace.isMode(mode)) {
      throw RequestFailure.invalid("mode must be one of " + ParameterSpace.MODES);
    }
    Object countValue = body.getValue("count", 1);
    if (!(countValue instanceof Integer count) || count < 1 || count > MAX_ASSIGN_COUNT) {
      throw RequestFailure.invalid("count must be an integer from 1 to " + MAX_ASSIGN_COUNT);
    }
    return queries.currentVersion().compose(current -> {
      PromptAssignment assignment = assignmentOf(current.version(), current.document(), null);
      List<PromptAssignment> assignments = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        assignments.add(assignment);
      }
      return queries.markUsed(List.of(current.version())).map(done -> new AssignReply(assignments).toJson());
    });
  }

  static PromptAssignment assignmentOf(String version, JsonObject document, Long abTestId) {
    JsonObject leonardo = document.getJsonObject("leonardo");
    JsonObject sd = document.getJsonObject("stablediffusion");
    return new PromptAssignment(version,
      new PromptText(leonardo.getString("prompt"), leonardo.getString("negative_prompt")),
      new PromptText(sd.getString("prompt"), sd.getString("negative_prompt")), abTestId);
  }

  private Future<JsonObject> status(JsonObject body) {
    return queries.currentVersion().compose(current -> queries.samplesCollected().map(samples -> {
      int every = settings.triggers().everySamples();
      return new JsonObject()
        .put("current_version", current.version())
        .put("last_evolution", (String) null)
        .put("next_evolution_at_sample", (samples / every + 1) * every)
        .put("samples_collected", samples);
    }));
  }

  private Future<?> versions(JsonObject body) {
    return queries.versionsWithPerformance();
  }

  private Future<JsonObject> showVersion(JsonObject body) {
    PromptVersionName name = PromptVersionName.parse(BusReplies.requiredString(body, "version"));
    return vertx.executeBlocking(() -> store.loadNode(name))
      .map(node -> new JsonObject(PromptVersionJson.toCompactString(node)))
      .compose(document -> queries.versionSummary(name.toString()).map(summary -> {
        summary.ifPresent(s -> document.put("performance", s.getJsonObject("performance"))
          .put("is_current", s.getBoolean("is_current")));
        return document;
      }));
  }

  private void ratingsRecorded(Message<JsonObject> message) {
    RatingsRecorded event;
    try {
      event = RatingsRecorded.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("ignoring a malformed ratings event: {}", e.getMessage());
      return;
    }
    Set<String> versions = new LinkedHashSet<>();
    for (RatedOption rated : event.ratings()) {
      if (PromptVersionName.isValid(rated.promptVersion())) {
        versions.add(rated.promptVersion());
      }
    }
    queries.refreshPerformance(versions)
      .onFailure(e -> LOG.warn("performance of {} not refreshed: {}", versions, e.getMessage()));
  }
}
