package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leases of two nodes on the real PostgreSQL: one holder per singleton, and a hand-over when it goes. */
@ExtendWith(BlockedThreadGuard.class)
class SingletonLeasesTest {

  private static final List<String> SINGLETONS = List.of("optimizer", "evolution");

  private Vertx vertx;
  /** Which node runs each singleton now, as the holders saw it; a second node starting one is recorded. */
  private final Map<String, String> running = Collections.synchronizedMap(new HashMap<>());
  private final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stops = Collections.synchronizedList(new ArrayList<>());
  private final List<SingletonLeases> started = new ArrayList<>();
  private final Map<SingletonLeases, Context> contexts = new HashMap<>();

  @BeforeEach
  void setUp() {
    TestDatabase.settings();
    vertx = TestVertx.create();
  }

  @AfterEach
  void tearDown() {
    for (SingletonLeases leases : started) {
      on(leases, leases::stop);
    }
    await(vertx.close());
  }

  /** A node's leases; {@code refuses} names a singleton whose start fails on that node. */
  private SingletonLeases node(String name, String refuses) {
    Context context = vertx.getOrCreateContext();
    SingletonLeases[] created = new SingletonLeases[1];
    SingletonLeases.Holder holder = new SingletonLeases.Holder() {
      @Override
      public Future<Void> start(String singleton) {
        if (singleton.equals(refuses)) {
          return Future.failedFuture("refused on " + name);
        }
        String other = running.putIfAbsent(singleton, name);
        if (other != null) {
          overlaps.add(singleton + " started on " + name + " while running on " + other);
        }
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop(String singleton) {
        running.remove(singleton, name);
        stops.add(name + ":" + singleton);
        return Future.succeededFuture();
      }
    };
    created[0] = new SingletonLeases(vertx, new PgConnectOptions(TestDatabase.pgOptions()), name, SINGLETONS, 100,
      holder);
    contexts.put(created[0], context);
    started.add(created[0]);
    on(created[0], () -> {
      created[0].start();
      return Future.succeededFuture();
    });
    return created[0];
  }

  private <T> T on(SingletonLeases leases, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    contexts.get(leases).runOnContext(v -> action.get().onComplete(promise));
    return await(promise.future());
  }

  private Set<String> held(SingletonLeases leases) {
    return on(leases, () -> Future.succeededFuture(Set.copyOf(leases.held())));
  }

  @Test
  void aStoppingNodeHandsItsSingletonsOverWithoutOverlap() {
    SingletonLeases a = node("node-a", null);
    Eventually.until("node-a holds both", () -> held(a).equals(Set.copyOf(SINGLETONS)));
    SingletonLeases b = node("node-b", null);
    Eventually.until("node-b sees node-a as the holder of both", () -> {
      try {
        return on(b, b::holders).equals(Map.of("optimizer", "node-a", "evolution", "node-a"));
      } catch (RuntimeException notConnectedYet) {
        return false;
      }
    });
    assertEquals(Set.of(), held(b));

    on(a, a::stop);
    Eventually.until("node-b holds both", () -> held(b).equals(Set.copyOf(SINGLETONS)));
    assertEquals(Map.of("optimizer", "node-b", "evolution", "node-b"), on(b, b::holders));
    assertEquals(List.of(), overlaps);
  }

  @Test
  void aNodeWhoseSessionEndsStopsItsSingletonsAtOnceAndTriesAgain() {
    SingletonLeases a = node("node-a", null);
    Eventually.until("node-a holds both", () -> held(a).equals(Set.copyOf(SINGLETONS)));

    // What PostgreSQL does when a node's connection breaks: the session ends and its locks go with it. The node
    // must stop its singletons, since another node may take them now.
    TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
      + " WHERE application_name = '" + SingletonLeases.APPLICATION_PREFIX + "node-a'");
    Eventually.until("node-a stopped both", () -> stops.stream().filter(s -> s.startsWith("node-a:")).count() == 2);
    Eventually.until("node-a holds both again on a new session", () -> held(a).equals(Set.copyOf(SINGLETONS)));
    assertEquals(Map.of("optimizer", "node-a", "evolution", "node-a"), on(a, a::holders));
    assertEquals(List.of(), overlaps);
  }

  @Test
  void aSingletonThatFailsToStartLeavesItsLeaseToAnotherNode() {
    SingletonLeases a = node("node-a", "optimizer");
    Eventually.until("node-a holds evolution", () -> held(a).equals(Set.of("evolution")));
    SingletonLeases b = node("node-b", null);
    Eventually.until("node-b holds the optimizer", () -> held(b).equals(Set.of("optimizer")));
    assertEquals(Map.of("optimizer", "node-b", "evolution", "node-a"), on(b, b::holders));
  }
}
