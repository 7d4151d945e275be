package dev.promptlab.evolution.store;

import java.time.Instant;

/**
 * How a version has done with trainers: mean rating, rated samples, share of head-to-head comparisons won
 * against another version, and when it was last used. Nulls mean "no data yet".
 */
public record Performance(Double avgRating, int sampleCount, Double winRate, Instant lastUsed) {

  public static final Performance NONE = new Performance(null, 0, null, null);
}
