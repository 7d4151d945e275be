package dev.promptlab.textopt.metrics;

import java.util.Objects;

/**
 * One dataset row as a metric sees it: what the model answered and what was expected.
 *
 * @param prediction the model's output; an empty string when the model answered nothing
 * @param reference the expected output
 */
public record MetricRow(String prediction, String reference) {

  public MetricRow {
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(reference, "reference");
  }
}
