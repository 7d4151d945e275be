package dev.promptlab.textopt.dataset;

/**
 * One accepted row of a dataset file.
 *
 * @param line the line of the file the row starts on, from 1
 * @param rowId the row's own id when the file gives one, else null
 * @param metadata the row's other fields as a JSON object's text ({@code {}} when none)
 */
public record DatasetRow(int line, String rowId, String input, String expected, String metadata) {
}
