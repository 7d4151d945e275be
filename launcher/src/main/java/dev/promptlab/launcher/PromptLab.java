package dev.promptlab.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Entry point of {@code java -jar promptlab.jar} (and of {@code java -jar promptlab.jar create-account EMAIL},
 * see {@link CreateAccountCommand}, and of {@code java -jar promptlab.jar import --manifest FILE}, see
 * {@link ImportCommand}): Vert.x's application launcher with Prometheus metrics switched on,
 * deploying {@link PromptLabVerticle}; a clustered Vert.x with the Hazelcast cluster manager when the configuration
 * sets {@code cluster.enabled} ({@link ClusterSettings}). Once it is up, SIGTERM and SIGINT stop it in order ({@link GracefulStop}).
 */
public final class PromptLab extends VertxApplication implements VertxApplicationHooks {

  /** Beyond the HTTP drain: the other verticles' own stops and the database's. */
  private static final long STOP_MARGIN_MS = 60_000;

  private PromptLabVerticle root;
  /** Read before Vert.x starts, since a clustered Vert.x is built differently; null when launched with arguments. */
  private ClusterSettings cluster;

  public PromptLab(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    if (args.length > 0 && CreateAccountCommand.NAME.equals(args[0])) {
      System.exit(CreateAccountCommand.main(args));
    }
    if (args.length > 0 && ImportCommand.NAME.equals(args[0])) {
      System.exit(ImportCommand.main(args));
    }
    ClusterSettings cluster = args.length == 0 ? clusterSettings() : null;
    String[] launchArgs = args.length == 0
      ? cluster.enabled() ? new String[] {PromptLabVerticle.class.getName(), "-cluster"}
        : new String[] {PromptLabVerticle.class.getName()}
      : args;
    PromptLab application = new PromptLab(launchArgs);
    application.cluster = cluster;
    int code = application.launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setMetricsOptions(metricsOptions());
    if (cluster != null && cluster.enabled()) {
      cluster.applyTo(context.vertxOptions());
    }
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      root = new PromptLabVerticle();
      return root;
    };
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    GracefulStop.install(context.vertx(), root, root.drainBoundMs() + STOP_MARGIN_MS);
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    if (cluster == null || !cluster.enabled()) {
      return VertxApplicationHooks.super.createVertxBuilder(options).withMetrics(new MicrometerMetricsFactory());
    }
    return VertxApplicationHooks.super.createVertxBuilder(options)
      .withMetrics(new MicrometerMetricsFactory(nodeRegistry(cluster.nodeName())))
      .withClusterManager(cluster.clusterManager());
  }

  /**
   * Whether to start a clustered Vert.x, from the configuration file and the environment. A configuration that
   * cannot be read or is refused starts a plain Vert.x: {@link PromptLabVerticle} reads it again and fails its
   * start with the reason, as for any other bad configuration.
   */
  private static ClusterSettings clusterSettings() {
    Vertx reader = Vertx.vertx();
    try {
      JsonObject conf = Bootstrap.loadConfig(reader, Bootstrap.defaultConfigPath(), null)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return ClusterSettings.from(conf);
    } catch (Exception e) {
      return ClusterSettings.from(new JsonObject());
    } finally {
      reader.close();
    }
  }

  /**
   * The Prometheus registry of a node of a cluster: every meter tagged with the node's name, the JVM's and Vert.x's
   * own included (the tag is set before any of them is registered), so the nodes can be scraped side by side.
   */
  static PrometheusMeterRegistry nodeRegistry(String nodeName) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeName);
    return registry;
  }

  /** Micrometer metrics exported in the Prometheus format (scraped at /metrics). */
  public static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setJvmMetricsEnabled(true)
      .setEnabled(true);
  }
}
