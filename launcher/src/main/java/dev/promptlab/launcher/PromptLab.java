package dev.promptlab.launcher;

import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.function.Supplier;

/**
 * Entry point of {@code java -jar promptlab.jar} (and of {@code java -jar promptlab.jar create-account EMAIL},
 * see {@link CreateAccountCommand}, and of {@code java -jar promptlab.jar import --manifest FILE}, see
 * {@link ImportCommand}): Vert.x's application launcher with Prometheus metrics switched on,
 * deploying {@link PromptLabVerticle}. Once it is up, SIGTERM and SIGINT stop it in order ({@link GracefulStop}).
 */
public final class PromptLab extends VertxApplication implements VertxApplicationHooks {

  /** Beyond the HTTP drain: the other verticles' own stops and the database's. */
  private static final long STOP_MARGIN_MS = 60_000;

  private PromptLabVerticle root;

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
    String[] launchArgs = args.length == 0 ? new String[] {PromptLabVerticle.class.getName()} : args;
    int code = new PromptLab(launchArgs).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setMetricsOptions(metricsOptions());
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
    return VertxApplicationHooks.super.createVertxBuilder(options).withMetrics(new MicrometerMetricsFactory());
  }

  /** Micrometer metrics exported in the Prometheus format (scraped at /metrics). */
  public static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setJvmMetricsEnabled(true)
      .setEnabled(true);
  }
}
