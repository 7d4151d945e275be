package dev.promptlab.launcher.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The uploads of one benchmark configuration, as the clients saw them: each upload's latency and, when it did not
 * give a trainer two rendered options, why. Throughput is counted over the round's wall time, from the first
 * request sent to the last answer received, so the ramp at both ends is part of it.
 */
public final class UploadRound {

  /** One upload: its latency and {@code null}, or the reason it failed (status and error code, or a failed option). */
  public record Upload(long latencyMs, String error) {
  }

  private final List<Upload> uploads = new ArrayList<>();
  private final long wallMs;

  public UploadRound(List<Upload> uploads, long wallMs) {
    if (uploads.isEmpty() || wallMs <= 0) {
      throw new IllegalArgumentException("a round needs uploads and a wall time, got " + uploads.size() + " in "
        + wallMs + " ms");
    }
    this.uploads.addAll(uploads);
    this.wallMs = wallMs;
  }

  /** Uploads answered with every option rendered, per minute of the round's wall time. */
  public double uploadsPerMinute() {
    return succeeded().length * 60_000.0 / wallMs;
  }

  /** The latency at {@code percent} (nearest rank) over the successful uploads; NaN when none succeeded. */
  public double latencyPercentileMs(double percent) {
    long[] sorted = succeeded();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public int count() {
    return uploads.size();
  }

  public int errors() {
    return (int) uploads.stream().filter(u -> u.error() != null).count();
  }

  /** Each failure reason with how often it happened, for the report. */
  public Map<String, Integer> errorsByReason() {
    Map<String, Integer> reasons = new TreeMap<>();
    uploads.stream().filter(u -> u.error() != null).forEach(u -> reasons.merge(u.error(), 1, Integer::sum));
    return reasons;
  }

  public long wallMs() {
    return wallMs;
  }

  private long[] succeeded() {
    return uploads.stream().filter(u -> u.error() == null).mapToLong(Upload::latencyMs).toArray();
  }
}
