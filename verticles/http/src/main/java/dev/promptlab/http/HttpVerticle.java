package dev.promptlab.http;

import dev.promptlab.http.api.AdminApi;
import dev.promptlab.http.api.ImageApi;
import dev.promptlab.http.api.MetricsScrape;
import dev.promptlab.http.api.Probes;
import dev.promptlab.http.api.TrainingApi;
import dev.promptlab.http.training.EnhanceService;
import dev.promptlab.http.training.HistoryService;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.training.RatingService;
import dev.promptlab.http.training.StatusService;
import dev.promptlab.http.training.TrainingStore;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.FailureResponder;
import dev.promptlab.http.web.SecurityHeaders;
import dev.promptlab.http.ui.Messages;
import dev.promptlab.http.ui.Templates;
import dev.promptlab.http.ui.TrainerPage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;

/**
 * The HTTP side of PromptLab: the seed's JSON API, the htmx trainer page and its fragments, images,
 * {@code /health}, {@code /ready}, {@code /metrics} and admin operations. It reaches the other
 * verticles only over the event bus. Several instances may listen on the same port (Vert.x shares
 * the server), so a new instance can be deployed before the old one is undeployed.
 */
public class HttpVerticle extends VerticleBase {

  private static final long JSON_BODY_LIMIT = 64 * 1024;

  private HttpConfig config;
  private Pool pool;
  private HttpServer server;

  @Override
  public Future<?> start() {
    try {
      config = HttpConfig.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    pool = PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(config.poolSize()))
      .connectingTo(new PgConnectOptions(config.db()))
      .using(vertx)
      .build();
    TrainingStore store = new TrainingStore(pool);
    Neighbours neighbours = new Neighbours(vertx, new Neighbours.Timeouts(config.busTimeoutMs(),
      config.optimizerTimeoutMs(), config.pingTimeoutMs(), config.redeployTimeoutMs()));
    // Template compilation and bundle reading touch the class path: a worker's job.
    return vertx.executeBlocking(() -> new PageResources(Templates.compile(), Messages.load()))
      .compose(page -> vertx.fileSystem().mkdirs(config.uploadsDir()).map(dir -> router(store, neighbours, page)))
      .compose(router -> vertx.createHttpServer(new HttpServerOptions()
          .setHost(config.host()).setPort(config.port()).setMaxFormAttributeSize((int) JSON_BODY_LIMIT))
        .requestHandler(router)
        .listen())
      .onSuccess(listening -> server = listening);
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /** The port this instance listens on (useful when configured with port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private record PageResources(Templates templates, Messages messages) {
  }

  private Router router(TrainingStore store, Neighbours neighbours, PageResources resources) {
    AccessGuard guard = new AccessGuard(config.adminToken());
    EnhanceService enhance = new EnhanceService(neighbours, store);
    RatingService rating = new RatingService(neighbours, store);
    StatusService status = new StatusService(neighbours, store);
    TrainingApi training = new TrainingApi(vertx, config.maxUploadBytes(), enhance, rating, status,
      new HistoryService(neighbours, store));
    TrainerPage page = new TrainerPage(vertx, config.maxUploadBytes(), resources.templates(), resources.messages(),
      enhance, rating, status);
    AdminApi admin = new AdminApi(neighbours);
    ImageApi images = new ImageApi(neighbours);
    BodyHandler uploadBody = BodyHandler.create(config.uploadsDir()).setBodyLimit(config.maxUploadBytes())
      .setDeleteUploadedFilesOnEnd(true);
    BodyHandler jsonBody = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);

    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders::apply);
    router.get("/health").handler(Probes::health);
    router.get("/ready").handler(Probes.readiness(vertx, store, neighbours, config.readyVerticles(),
      config.pingTimeoutMs()));
    router.get("/metrics").handler(new MetricsScrape(vertx)::scrape);

    router.route("/api/*").handler(TimeoutHandler.create(config.requestTimeoutMs(), 504));
    router.post("/api/enhance/train").handler(uploadBody).handler(guard::trainer).handler(training::enhance);
    router.post("/api/train/rate").handler(jsonBody).handler(guard::trainer).handler(training::rate);
    router.get("/api/train/status").handler(guard::trainer).handler(training::status);
    router.get("/api/train/history").handler(guard::trainer).handler(training::history);
    router.route("/api/admin/*").handler(guard::admin);
    router.post("/api/admin/verticles/:name/redeploy").handler(admin::redeploy);
    router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound("no API route " + ctx.request().method()
      + " " + ctx.request().path())));

    router.get("/images/:id").handler(images::image);

    router.get("/ui/app").handler(guard::trainer).handler(page::app);
    router.get("/ui/status").handler(guard::trainer).handler(page::status);
    router.post("/ui/enhance").handler(uploadBody).handler(guard::trainer).handler(page::enhance);
    router.post("/ui/rate").handler(jsonBody).handler(guard::trainer).handler(page::rate);
    router.route("/ui/*").failureHandler(page::failure);

    router.route(HttpMethod.GET, "/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
      .setCachingEnabled(true).setMaxAgeSeconds(86400));
    router.route(HttpMethod.GET, "/*").handler(StaticHandler.create(FileSystemAccess.ROOT,
      Path.of(config.webroot()).toAbsolutePath().normalize().toString()));

    router.route().failureHandler(FailureResponder::respond);
    return router;
  }
}
