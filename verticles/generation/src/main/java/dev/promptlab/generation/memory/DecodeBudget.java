package dev.promptlab.generation.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The memory the verticle may spend on decoding images at once, shared by every request.
 *
 * <p>Rules:
 * <ul>
 *   <li>a decode reserves its estimated cost ({@link DecodeCost}) before it starts and gives it back when done
 *       ({@link Lease#close}, once);</li>
 *   <li>a cost larger than the whole budget is refused ({@link Refusal#TOO_LARGE});</li>
 *   <li>a cost that does not fit now waits in a first-come queue of at most {@code maxWaiting}; beyond that it is
 *       refused ({@link Refusal#BUSY}). The head of the queue is served first, so a large decode is not starved
 *       by small ones overtaking it.</li>
 * </ul>
 * Thread-safe; futures are completed outside the lock.
 */
public final class DecodeBudget {

  /** Why a reservation was refused. */
  public enum Refusal { TOO_LARGE, BUSY }

  /** A refused reservation. */
  public static final class RefusedException extends RuntimeException {
    private final Refusal refusal;

    RefusedException(Refusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }

  /** Reserved bytes; closing gives them back. */
  public final class Lease implements AutoCloseable {
    private final long bytes;
    private boolean open = true;

    private Lease(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      release(this);
    }
  }

  private record Waiter(long cost, CompletableFuture<Lease> granted) {
  }

  private final long capacity;
  private final int maxWaiting;
  private final Deque<Waiter> queue = new ArrayDeque<>();
  private long reserved;

  public DecodeBudget(long capacityBytes, int maxWaiting) {
    if (capacityBytes <= 0 || maxWaiting < 0) {
      throw new IllegalArgumentException("the budget must be positive and the queue not negative");
    }
    this.capacity = capacityBytes;
    this.maxWaiting = maxWaiting;
  }

  /** Completes with a lease now or once the cost fits; fails with {@link RefusedException}. */
  public CompletableFuture<Lease> reserve(long cost) {
    synchronized (this) {
      if (cost > capacity) {
        return CompletableFuture.failedFuture(new RefusedException(Refusal.TOO_LARGE,
          "decoding this image needs about " + mib(cost) + " MiB; the decode budget is " + mib(capacity) + " MiB"));
      }
      if (queue.isEmpty() && reserved + cost <= capacity) {
        reserved += cost;
        return CompletableFuture.completedFuture(new Lease(cost));
      }
      if (queue.size() >= maxWaiting) {
        return CompletableFuture.failedFuture(new RefusedException(Refusal.BUSY,
          "the server is decoding as many images as its memory allows and " + queue.size() + " more wait"));
      }
      Waiter waiter = new Waiter(cost, new CompletableFuture<>());
      queue.addLast(waiter);
      return waiter.granted();
    }
  }

  /** Bytes reserved now. */
  public synchronized long reserved() {
    return reserved;
  }

  /** Reservations waiting now. */
  public synchronized int waiting() {
    return queue.size();
  }

  private void release(Lease lease) {
    List<Waiter> granted = new ArrayList<>();
    synchronized (this) {
      if (!lease.open) {
        return;
      }
      lease.open = false;
      reserved -= lease.bytes;
      while (!queue.isEmpty() && reserved + queue.peekFirst().cost() <= capacity) {
        Waiter next = queue.pollFirst();
        reserved += next.cost();
        granted.add(next);
      }
    }
    for (Waiter waiter : granted) {
      Lease next = new Lease(waiter.cost());
      if (!waiter.granted().complete(next)) {
        next.close();
      }
    }
  }

  private static long mib(long bytes) {
    return Math.max(1, bytes >> 20);
  }
}
