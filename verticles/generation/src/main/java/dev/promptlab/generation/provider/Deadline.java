package dev.promptlab.generation.provider;

import java.util.concurrent.TimeUnit;

/** The moment a whole generation must be finished by; every step and retry waits at most what is left. */
public final class Deadline {

  private final long endNanos;

  private Deadline(long endNanos) {
    this.endNanos = endNanos;
  }

  public static Deadline in(long millis) {
    return new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
  }

  public long remainingMs() {
    return Math.max(0L, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
  }

  public boolean passed() {
    return remainingMs() == 0;
  }
}
