package dev.promptlab.generation.provider;

import dev.promptlab.generation.image.LocalEnhancer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every image provider the generation verticle can render with, and the one place to add one: its name, how its
 * config section ({@code generation.<name>}) is read and checked, and how it is built. External providers run
 * behind their own circuit breaker; the local one needs no configuration.
 */
public final class ProviderCatalogue {

  /** Builds a configured external provider over the shared HTTP client and render workers. */
  @FunctionalInterface
  public interface Factory {
    ImageProvider create(Vertx vertx, WebClient client, WorkerExecutor workers);
  }

  /** An external provider whose section was read and checked: ready to build. */
  public record Configured(String name, ResilienceSettings resilience, Factory factory) {
  }

  private static final Map<String, Function<JsonObject, Configured>> EXTERNAL = Map.of(
    LeonardoProvider.NAME, section -> {
      LeonardoSettings settings = LeonardoSettings.from(section);
      return new Configured(LeonardoProvider.NAME, settings.resilience(),
        (vertx, client, workers) -> new LeonardoProvider(vertx, client, workers, settings));
    },
    ReplicateProvider.NAME, section -> {
      ReplicateSettings settings = ReplicateSettings.from(section);
      return new Configured(ReplicateProvider.NAME, settings.resilience(),
        (vertx, client, workers) -> new ReplicateProvider(vertx, client, workers, settings));
    },
    Automatic1111Provider.NAME, section -> {
      Automatic1111Settings settings = Automatic1111Settings.from(section);
      return new Configured(Automatic1111Provider.NAME, settings.resilience(),
        (vertx, client, workers) -> new Automatic1111Provider(vertx, client, workers, settings));
    });

  /** Every provider name: {@code local} and the external ones. */
  public static final Set<String> NAMES;

  static {
    Set<String> names = new LinkedHashSet<>();
    names.add(LocalImageProvider.NAME);
    names.addAll(EXTERNAL.keySet());
    NAMES = Set.copyOf(names);
  }

  private ProviderCatalogue() {
  }

  /**
   * Reads the section of each external provider among {@code used} from the generation config; only those, so an
   * unused provider needs no key.
   *
   * @throws IllegalArgumentException with a sentence naming the key (or environment variable) to fix
   */
  public static List<Configured> configure(Collection<String> used, JsonObject generationConfig) {
    List<Configured> configured = new ArrayList<>();
    new LinkedHashSet<>(used).stream().filter(EXTERNAL::containsKey).sorted().forEach(name ->
      configured.add(EXTERNAL.get(name).apply(generationConfig.getJsonObject(name, new JsonObject()))));
    return configured;
  }

  /**
   * The provider instances by name: the local one, and each configured external one behind a circuit breaker
   * whose state changes go to {@code onCircuit} (provider name, new state). The external ones share one HTTP client
   * keeping at most {@code connectionsPerHost} connections to each host; a call waits for a free one.
   */
  public static Providers build(Vertx vertx, LocalEnhancer localEnhancer, WorkerExecutor workers,
                                List<Configured> external, int connectionsPerHost,
                                BiConsumer<String, ConsecutiveFailureBreaker.State> onCircuit) {
    Map<String, ImageProvider> byName = new LinkedHashMap<>();
    byName.put(LocalImageProvider.NAME, new LocalImageProvider(localEnhancer, workers));
    WebClient client = external.isEmpty() ? null : WebClient.create(vertx, new WebClientOptions()
      .setUserAgent("PromptLab").setConnectTimeout(10_000).setFollowRedirects(true),
      new PoolOptions().setHttp1MaxSize(connectionsPerHost));
    List<CircuitBreakingProvider> guarded = new ArrayList<>();
    for (Configured provider : external) {
      ConsecutiveFailureBreaker breaker = new ConsecutiveFailureBreaker(provider.resilience().breakerMaxFailures(),
        provider.resilience().breakerResetMs(), () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
      CircuitBreakingProvider circuit = new CircuitBreakingProvider(vertx,
        provider.factory().create(vertx, client, workers), breaker, state -> onCircuit.accept(provider.name(), state));
      guarded.add(circuit);
      byName.put(provider.name(), circuit);
    }
    return new Providers(Map.copyOf(byName), List.copyOf(guarded), client);
  }

  /** Built providers and the HTTP client they share; {@link #close()} releases both. */
  public record Providers(Map<String, ImageProvider> byName, List<CircuitBreakingProvider> circuitBreaking,
                          WebClient client) {

    public Future<?> close() {
      List<Future<?>> closing = new ArrayList<>();
      byName.values().forEach(p -> closing.add(p.close()));
      if (client != null) {
        client.close();
      }
      return Future.join(closing);
    }
  }
}
