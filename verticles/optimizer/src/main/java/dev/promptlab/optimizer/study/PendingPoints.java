package dev.promptlab.optimizer.study;

import dev.promptlab.optimizer.model.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * Points handed out whose ratings have not arrived: they keep new suggestions away until they are rated, withdrawn
 * or expire. At most {@value #MAX} are kept (the oldest leave first), so a client that never rates cannot crowd the
 * space.
 */
final class PendingPoints {

  /** A pending point in natural units, and when it stops counting. */
  record Entry(double[] natural, long expiresAt) {
  }

  static final int MAX = 32;

  private final List<Entry> entries = new ArrayList<>();

  void add(double[] natural, long expiresAt) {
    entries.add(new Entry(natural, expiresAt));
    while (entries.size() > MAX) {
      entries.remove(0);
    }
  }

  void expire(long nowMs) {
    entries.removeIf(e -> e.expiresAt() <= nowMs);
  }

  /** Forgets every pending point at this one (the same point once encoded: a rating or a withdrawal names it). */
  void remove(double[] natural) {
    double[] encoded = StudySpace.SPACE.encode(natural);
    entries.removeIf(e -> SearchSpace.squaredDistance(StudySpace.SPACE.encode(e.natural()), encoded) < 1e-12);
  }

  List<double[]> points() {
    return entries.stream().map(Entry::natural).toList();
  }

  /** Oldest first. */
  List<Entry> entries() {
    return List.copyOf(entries);
  }
}
