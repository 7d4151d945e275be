package dev.promptlab.textopt.run;

/**
 * A dataset row as a run uses it.
 *
 * @param ordinal the row's place in the dataset, from 1 (the key of its stored answers)
 * @param id the row's own id, or its line number when the file gave none
 * @param eval whether the row is held out for evaluation (else a training row, which the optimizer model may see)
 */
public record RunRow(int ordinal, String id, String input, String expected, boolean eval) {
}
