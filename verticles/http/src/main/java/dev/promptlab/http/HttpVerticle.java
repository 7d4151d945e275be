package dev.promptlab.http;

import dev.promptlab.http.accounts.AccountService;
import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.LoginLimiter;
import dev.promptlab.http.accounts.LoginThrottle;
import dev.promptlab.http.accounts.SharedLoginThrottle;
import dev.promptlab.http.accounts.PasswordChecks;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.admin.AdminApi;
import dev.promptlab.http.admin.AdminService;
import dev.promptlab.http.api.AccountApi;
import dev.promptlab.http.api.ApiV1Routes;
import dev.promptlab.http.api.OpenApiDocument;
import dev.promptlab.http.api.TextoptApi;
import dev.promptlab.http.api.ImportApi;
import dev.promptlab.http.imports.ImportService;
import dev.promptlab.http.api.ImageApi;
import dev.promptlab.http.api.MetricsScrape;
import dev.promptlab.http.api.Probes;
import dev.promptlab.http.api.RewardApi;
import dev.promptlab.http.api.ProductionApi;
import dev.promptlab.http.api.TrainingApi;
import dev.promptlab.http.training.EnhanceService;
import dev.promptlab.http.training.HistoryService;
import dev.promptlab.http.training.ImageService;
import dev.promptlab.http.training.PairService;
import dev.promptlab.http.training.ThumbnailCache;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.training.RatingService;
import dev.promptlab.http.training.RetryService;
import dev.promptlab.http.training.StatusService;
import dev.promptlab.http.training.TrainingStore;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.BrokenFraming;
import dev.promptlab.http.web.ConnectionDeadlines;
import dev.promptlab.http.web.RequestDrain;
import dev.promptlab.http.web.UploadSlots;
import dev.promptlab.http.web.UploadSpool;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.FailureResponder;
import dev.promptlab.http.web.OversizedBodies;
import dev.promptlab.http.web.SecurityHeaders;
import dev.promptlab.http.web.StillWaiting;
import dev.promptlab.http.ui.AccountPage;
import dev.promptlab.http.ui.ApiDocsPage;
import dev.promptlab.http.ui.AdminPages;
import dev.promptlab.http.ui.DatasetPages;
import dev.promptlab.http.ui.TextPromptPages;
import dev.promptlab.http.ui.HistoryPage;
import dev.promptlab.http.ui.LoginPage;
import dev.promptlab.http.ui.Messages;
import dev.promptlab.http.ui.PageRenderer;
import dev.promptlab.http.ui.ResetPage;
import dev.promptlab.http.ui.RunPages;
import dev.promptlab.http.ui.Templates;
import dev.promptlab.http.ui.TrainerPage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of PromptLab: the seed's JSON API, the htmx trainer page and its fragments, images,
 * {@code /health}, {@code /ready}, {@code /metrics} and admin operations. It reaches the other
 * verticles only over the event bus. Several instances may listen on the same port (Vert.x shares
 * the server), so a new instance can be deployed before the old one is undeployed.
 */
public class HttpVerticle extends VerticleBase {

  private static final long JSON_BODY_LIMIT = 64 * 1024;
  /**
   * Routes that take a multipart upload (an image, an import, a dataset file; up to {@code max_upload_bytes}); other
   * bodies are small JSON.
   */
  private static final Set<String> UPLOAD_PATHS = Set.of("/api/enhance/train", "/ui/enhance",
    "/api/ml/extract_features", "/api/admin/imports", ApiV1Routes.DATASET_UPLOAD, "/text/datasets");
  /** Memory for the history's thumbnails per instance: about a thousand 320 x 240 JPEGs. */
  private static final long THUMBNAIL_CACHE_BYTES = 16L * 1024 * 1024;

  /** Routes answered with HTML: they log in through a page and show failures as messages. */
  private static final List<String> HTML_PATHS = List.of("/", "/ui/*", "/login", "/logout", "/history", "/account",
    "/account/*", "/admin", "/admin/*", "/reset", "/api-docs", "/text/*");

  /** Body-carrying routes under those below that a caller uses without a session: a reset code is its credential. */
  private static final Set<String> ANONYMOUS_BODY_PATHS = Set.of("/api/password-reset");
  /** Routes whose bodies only a known caller may send (every authenticated one but the login form). */
  private static final List<String> CALLER_BODY_PATHS = List.of("/api/*", "/ui/*", "/logout", "/account",
    "/account/*", "/admin", "/admin/*", "/text/*");

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** Local map of the HTTP instances listening per port in this process: the last one drains, others hand over. */
  private static final String LISTENERS = "promptlab.http.listeners";

  private HttpConfig config;
  private Pool pool;
  private PasswordChecks checks;
  private HttpServer server;
  private UploadSpool spool;
  private RequestDrain drain;
  private int listeningPort;

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
    AccountStore accounts = new AccountStore(pool);
    Neighbours neighbours = new Neighbours(vertx, new Neighbours.Timeouts(config.busTimeoutMs(),
      config.optimizerTimeoutMs(), config.pingTimeoutMs(), config.redeployTimeoutMs()));
    // Template compilation and bundle reading touch the class path: a worker's job.
    return vertx.executeBlocking(() -> new PageResources(Templates.compile(), Messages.load(), OpenApiDocument.load()))
      // Building the router loads most of vertx-web's classes: on a busy machine that alone can hold an
      // event loop for a few hundred milliseconds, so it is done on a worker too.
      .compose(page -> vertx.executeBlocking(() -> UploadSpool.open(Path.of(config.uploadsDir())))
        .compose(opened -> {
          spool = opened;
          return vertx.executeBlocking(() -> router(store, accounts, neighbours, page));
        }))
      .compose(router -> {
        ConnectionDeadlines deadlines = new ConnectionDeadlines(vertx, new ConnectionDeadlines.Limits(
          config.headerTimeoutMs(), config.bodyTimeoutMs(), config.idleTimeoutMs()));
        router.route().order(-2).handler(drain::track);
        router.route().order(-1).handler(deadlines::track);
        // No h2c: Vert.x would hold back an HTTP/1.1 connection (and its connection handler, which starts the
        // header deadline) until a first complete request shows it is not an upgrade to HTTP/2.
        return vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.host()).setPort(config.port()).setMaxFormAttributeSize((int) JSON_BODY_LIMIT)
            .setHttp2ClearTextEnabled(false))
          .connectionHandler(connection -> {
            deadlines.opened(connection);
            BrokenFraming.opened(connection);
          })
          .requestHandler(router)
          .listen();
      })
      .onSuccess(listening -> {
        server = listening;
        listeningPort = listening.actualPort();
        vertx.sharedData().<Integer, Integer>getLocalMap(LISTENERS).merge(listeningPort, 1, Integer::sum);
        LOG.info("HTTP server listening on {}:{}", config.host(), listeningPort);
      })
      .compose(listening -> writePortFile())
      .recover(e -> deleteSpool().transform(deleted -> Future.failedFuture(e)));
  }

  /**
   * Writes the port it listens on to {@code <data_dir>/http.port} (replaced whole, never read half written), so
   * whoever started the server on a random port (a negative or zero {@code port}) can find it.
   */
  private Future<Void> writePortFile() {
    if (config.portFile() == null) {
      return Future.succeededFuture();
    }
    String target = config.portFile().toString();
    String temporary = target + ".tmp-" + deploymentID();
    return vertx.fileSystem().writeFile(temporary, Buffer.buffer(listeningPort + "\n"))
      .compose(written -> vertx.fileSystem().move(temporary, target,
        new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
  }

  /**
   * Graceful, bounded by {@code shutdown_grace_ms}. When another instance shares the port (a redeploy), this one
   * hands the listener over at once and finishes its in-flight requests. When it is the last one (the process
   * stops), it keeps the listener open and answers new requests 503 with {@code Retry-After} until its in-flight
   * requests (uploads being generated) are answered, then closes it. Then it releases its database pool and
   * deletes its upload spool directory.
   */
  @Override
  public Future<?> stop() {
    Future<Void> drained;
    if (server == null) {
      drained = Future.succeededFuture();
    } else if (vertx.sharedData().<Integer, Integer>getLocalMap(LISTENERS)
      .compute(listeningPort, (port, count) -> count == null || count <= 1 ? null : count - 1) != null) {
      drained = server.shutdown(config.shutdownGraceMs(), TimeUnit.MILLISECONDS);
    } else {
      LOG.info("Draining: {} requests in flight, new requests get 503 for up to {} ms", drain.inFlight(),
        config.shutdownGraceMs());
      drained = drain.drain(config.shutdownGraceMs())
        .compose(v -> {
          LOG.info("Drained: {} requests still in flight are cut", drain.inFlight());
          return server.close();
        });
    }
    return drained
      .eventually(() -> checks == null ? Future.succeededFuture() : checks.close())
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
      .eventually(this::deleteSpool);
  }

  private Future<Void> deleteSpool() {
    if (spool == null) {
      return Future.succeededFuture();
    }
    UploadSpool deleting = spool;
    spool = null;
    return vertx.executeBlocking(() -> {
      deleting.delete();
      return null;
    });
  }

  /** The port this instance listens on (useful when configured with port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private record PageResources(Templates templates, Messages messages, OpenApiDocument openApi) {
  }

  private Router router(TrainingStore store, AccountStore accounts, Neighbours neighbours, PageResources resources) {
    AccessGuard guard = new AccessGuard(accounts, config.adminToken(), config.adminEmails(), config.trainingEnabled());
    EnhanceService enhance = new EnhanceService(neighbours, store, config.candidates());
    RatingService rating = new RatingService(neighbours, store);
    StatusService status = new StatusService(neighbours, store);
    HistoryService history = new HistoryService(neighbours, store);
    RetryService retry = new RetryService(neighbours, store);
    TrainingApi training = new TrainingApi(vertx, config.maxUploadBytes(), enhance, rating, status, history, retry);
    PasswordHasher hasher = new PasswordHasher(config.passwordIterations());
    checks = new PasswordChecks(vertx, hasher, config.passwordCheckThreads(), config.passwordCheckQueue());
    AdminService adminService = new AdminService(neighbours, accounts, checks, hasher, config.adminEmails());
    AdminApi admin = new AdminApi(adminService);
    ImageApi images = new ImageApi(new ImageService(vertx, neighbours, store, new ThumbnailCache(THUMBNAIL_CACHE_BYTES)));
    PageRenderer pages = new PageRenderer(resources.templates(), resources.messages());
    TrainerPage trainer = new TrainerPage(vertx, config.maxUploadBytes(), pages, enhance, rating, status, retry,
      accounts, new PairService(store));
    LoginThrottle limiter = config.clustered()
      ? new SharedLoginThrottle(pool, config.loginLimits(), Clock.systemUTC())
      : new LoginLimiter(config.loginLimits(), Clock.systemUTC());
    LoginPage login = new LoginPage(pages, accounts, checks, limiter, Duration.ofHours(config.sessionTtlHours()),
      config.secureCookies());
    AccountService accountService = new AccountService(accounts, checks, hasher, limiter,
      Duration.ofDays(config.apiTokenMaxDays()), Duration.ofMinutes(config.passwordResetTtlMinutes()));
    AccountApi accountApi = new AccountApi(accountService);
    ResetPage reset = new ResetPage(pages, accountService, config.secureCookies());
    HistoryPage historyPage = new HistoryPage(pages, history, accounts);
    AdminPages adminPages = new AdminPages(pages, adminService, accountService);
    AccountPage account = new AccountPage(pages, accountService);
    drain = new RequestDrain(vertx, config.retryAfterSeconds());
    BodyHandler uploadBody = BodyHandler.create(spool.directory().toString()).setBodyLimit(config.maxUploadBytes())
      .setDeleteUploadedFilesOnEnd(true);
    BodyHandler smallBody = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);

    OversizedBodies oversized = new OversizedBodies(vertx, UPLOAD_PATHS, config.maxUploadBytes(), JSON_BODY_LIMIT,
      config.refusedBodyDrainBytes(), config.refusedBodyLingerMs());

    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders::apply);
    router.route("/api/*").handler(SecurityHeaders::noStore);
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
      .handler(BrokenFraming::watch).handler(oversized::guard);
    router.get("/health").handler(Probes::health);
    router.get("/ready").handler(Probes.readiness(vertx, store, neighbours, config.readyVerticles(),
      config.clustered(), config.pingTimeoutMs()));
    router.get("/metrics").handler(new MetricsScrape(vertx)::scrape);

    for (String path : HTML_PATHS) {
      router.route(path).handler(guard::authenticate);
    }
    router.route("/api/*").handler(guard::authenticate);
    router.route("/images/*").handler(guard::authenticate);
    for (String path : CALLER_BODY_PATHS) {
      router.route(path).method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
        .method(HttpMethod.DELETE).handler(ctx -> {
          if (ANONYMOUS_BODY_PATHS.contains(ctx.normalizedPath())) {
            ctx.next();
          } else {
            guard.callerBeforeBody(ctx);
          }
        });
    }
    UploadSlots uploadSlots = new UploadSlots(config.maxConcurrentUploads(), config.retryAfterSeconds());
    for (String path : UPLOAD_PATHS) {
      router.post(path).handler(uploadSlots::admit);
    }
    // authenticate() paused requests with a body; a BodyHandler (the upload one where files arrive) resumes them.
    // A request already answered, or whose client left, while its caller was looked up is read no further.
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
      .handler(StillWaiting::check);
    for (String path : UPLOAD_PATHS) {
      router.post(path).handler(uploadBody);
    }
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
      .handler(smallBody);

    router.route("/api/*").handler(TimeoutHandler.create(config.requestTimeoutMs(), 504));
    router.post("/api/enhance/train").handler(guard::trainer).handler(training::enhance);
    router.post("/api/train/rate").handler(guard::trainer).handler(training::rate);
    router.get("/api/train/status").handler(guard::trainer).handler(training::status);
    router.get("/api/train/history").handler(guard::trainer).handler(training::history);
    // Production callers read what training learned, also on a server whose training is switched off.
    router.get("/api/production/parameters").handler(guard::member).handler(new ProductionApi(neighbours)::parameters);
    router.post("/api/train/experiments/:id/options/:option/retry").handler(guard::trainer)
      .handler(training::retry);
    router.post("/api/train/evolve").handler(guard::admin).handler(admin::evolve);
    router.route("/api/admin/*").handler(guard::admin);
    admin.mount(router);
    ImportApi imports = new ImportApi(new ImportService(vertx, neighbours, pool, config.maxImportRows()));
    router.post("/api/admin/imports").handler(imports::create);
    router.get("/api/admin/imports").handler(imports::latest);
    router.get("/api/admin/imports/:id").handler(imports::show);
    accountApi.mount(router, guard);
    RewardApi reward = new RewardApi(vertx, config.maxUploadBytes(), neighbours, store);
    router.post("/api/ml/extract_features").handler(guard::trainer).handler(reward::extract);
    router.get("/api/ml/models").handler(guard::admin).handler(reward::models);
    router.post("/api/ml/retrain").handler(guard::admin).handler(reward::retrain);
    router.post("/api/ml/predict_rating").handler(guard::trainer).handler(reward::predict);
    ApiV1Routes.mount(router, ApiV1Routes.routes(new TextoptApi(vertx, neighbours), resources.openApi()), guard::member);
    router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound("no API route " + ctx.request().method()
      + " " + ctx.request().path())));

    router.get("/images/:id/thumbnail").handler(guard::trainer).handler(images::thumbnail);
    router.get("/images/:id").handler(guard::trainer).handler(images::image);

    router.get("/login").handler(login::form);
    router.post("/login").handler(login::login);
    router.post("/logout").handler(guard::member).handler(login::logout);
    trainer.mount(router, guard);
    router.get("/history").handler(guard::trainer).handler(historyPage::page);
    account.mount(router, guard);
    router.get("/api-docs").handler(guard::member).handler(new ApiDocsPage(pages, resources.openApi())::page);
    router.get("/reset").handler(reset::form);
    router.post("/reset").handler(reset::reset);
    // The text platform's pages need what /api/v1 needs: any signed-in account.
    router.route("/text/*").handler(guard::member);
    new DatasetPages(vertx, neighbours, pages).mount(router);
    new TextPromptPages(neighbours, pages).mount(router);
    new RunPages(neighbours, pages).mount(router);
    adminPages.mount(router, guard);
    for (String path : HTML_PATHS) {
      router.route(path).failureHandler(pages::failure);
    }

    router.route(HttpMethod.GET, "/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
      .setCachingEnabled(true).setMaxAgeSeconds(86400));
    router.route(HttpMethod.GET, "/*").handler(StaticHandler.create(FileSystemAccess.ROOT,
      Path.of(config.webroot()).toAbsolutePath().normalize().toString()));
    router.route(HttpMethod.GET, "/*").handler(pages::notFound);

    router.route().failureHandler(FailureResponder::respond);
    return router;
  }
}
