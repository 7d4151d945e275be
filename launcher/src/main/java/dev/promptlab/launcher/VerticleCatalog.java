package dev.promptlab.launcher;

import java.util.List;
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

  /**
   * Verticles that keep state in memory and must run once in a cluster, each with the number of its lease
   * ({@link SingletonLeases}). The numbers are stored in nobody's table but they name a lock every node of a cluster
   * must agree on: never renumber one.
   */
  private static final Map<String, Integer> SINGLETONS = Map.of(
    "optimizer", 1,
    "evolution", 2,
    "reward", 3,
    "textopt", 4);

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

  /** The singletons in lease order. */
  static List<String> singletons() {
    return SINGLETONS.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
  }

  static boolean isSingleton(String name) {
    return SINGLETONS.containsKey(name);
  }

  /** The lease number of the singleton {@code name}. */
  static int leaseOf(String name) {
    Integer lease = SINGLETONS.get(name);
    if (lease == null) {
      throw new IllegalArgumentException("'" + name + "' is not a singleton");
    }
    return lease;
  }

  static boolean startsBeforeStopping(String name) {
    return SERVES_HTTP.contains(name);
  }
}
