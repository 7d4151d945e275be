package dev.promptlab.textopt.run;

/**
 * A prompt version's answer to one row within a run, with its score under the run's metric.
 *
 * @param explanation why the answer fell short, when the metric said, else null
 */
public record StoredAnswer(int ordinal, String answer, double score, String explanation) {
}
