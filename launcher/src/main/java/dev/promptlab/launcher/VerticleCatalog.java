package dev.promptlab.launcher;

import java.util.Map;
import java.util.Set;

/**
 * The verticles the launcher can deploy, by the name used in configuration and on the redeploy endpoint. They are
 * deployed by class name through Vert.x's Java verticle factory, so the launcher compiles against none of them:
 * their modules are on its runtime class path only, and a verticle is added here and in its module alone.
 */
final class VerticleCatalog {

  private static final Map<String, String> CLASS_NAMES = Map.of(
    "http", "dev.promptlab.http.HttpVerticle",
    "generation", "dev.promptlab.generation.GenerationVerticle",
    "optimizer", "dev.promptlab.optimizer.OptimizerVerticle",
    "evolution", "dev.promptlab.evolution.EvolutionVerticle",
    "metrics", "dev.promptlab.metrics.MetricsVerticle",
    "reward", "dev.promptlab.reward.RewardVerticle",
    "textopt", "dev.promptlab.textopt.TextoptVerticle");

  /** Verticles that keep an HTTP server: a new instance starts before the old one stops (shared port). */
  private static final Set<String> SERVES_HTTP = Set.of("http");

  private VerticleCatalog() {
  }

  static boolean knows(String name) {
    return CLASS_NAMES.containsKey(name);
  }

  static Set<String> names() {
    return CLASS_NAMES.keySet();
  }

  /** The name {@code Vertx.deployVerticle(String, DeploymentOptions)} deploys the verticle {@code name} by. */
  static String deploymentName(String name) {
    String className = CLASS_NAMES.get(name);
    if (className == null) {
      throw new IllegalArgumentException("unknown verticle '" + name + "', expected one of " + CLASS_NAMES.keySet());
    }
    return "java:" + className;
  }

  static boolean startsBeforeStopping(String name) {
    return SERVES_HTTP.contains(name);
  }
}
