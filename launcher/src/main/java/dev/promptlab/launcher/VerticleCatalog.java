package dev.promptlab.launcher;

import dev.promptlab.evolution.EvolutionVerticle;
import dev.promptlab.generation.GenerationVerticle;
import dev.promptlab.http.HttpVerticle;
import dev.promptlab.metrics.MetricsVerticle;
import dev.promptlab.optimizer.OptimizerVerticle;
import io.vertx.core.Deployable;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The verticles the launcher can deploy, by the name used in configuration and on the redeploy endpoint. */
final class VerticleCatalog {

  private static final Map<String, Supplier<Deployable>> FACTORIES = Map.of(
    "http", HttpVerticle::new,
    "generation", GenerationVerticle::new,
    "optimizer", OptimizerVerticle::new,
    "evolution", EvolutionVerticle::new,
    "metrics", MetricsVerticle::new);

  /** Verticles that keep an HTTP server: a new instance starts before the old one stops (shared port). */
  private static final Set<String> SERVES_HTTP = Set.of("http");

  private VerticleCatalog() {
  }

  static boolean knows(String name) {
    return FACTORIES.containsKey(name);
  }

  static Set<String> names() {
    return FACTORIES.keySet();
  }

  static Supplier<Deployable> factory(String name) {
    Supplier<Deployable> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown verticle '" + name + "', expected one of " + FACTORIES.keySet());
    }
    return factory;
  }

  static boolean startsBeforeStopping(String name) {
    return SERVES_HTTP.contains(name);
  }
}
