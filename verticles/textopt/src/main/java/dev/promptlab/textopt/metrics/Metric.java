package dev.promptlab.textopt.metrics;

/**
 * A way to score a model's output against the expected output of one dataset row.
 *
 * <p>Implementations are immutable and thread-safe and hold no Vert.x types. Scoring is CPU work that grows with
 * the input (ROUGE-L with the product of the two lengths): callers on an event loop run it on a worker.
 */
public interface Metric {

  /** The name runs and API requests use for this metric ({@code exact_match}, {@code bleu}, ...). */
  String name();

  /**
   * Scores one row.
   *
   * @param prediction what the model answered (an empty string when it answered nothing)
   * @param reference the row's expected output
   * @return a value in [0, 1], 1 being a perfect answer, with an explanation when the metric can say why the
   *     answer fell short in a way a plain number cannot (a schema violation, a pattern that ran out of budget)
   * @throws NullPointerException if either text is null
   */
  Score score(String prediction, String reference);
}
