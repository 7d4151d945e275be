package dev.promptlab.textopt.dataset;

import java.util.List;

/**
 * A dataset file read row by row: the rows accepted and those refused, each refusal with its line and reason, both in
 * file order.
 *
 * @param format {@code jsonl} or {@code csv}
 */
public record ParsedDataset(String format, List<DatasetRow> rows, List<Refusal> refused) {

  /** A row that was not accepted. */
  public record Refusal(int line, String reason) {
  }

  public ParsedDataset {
    rows = List.copyOf(rows);
    refused = List.copyOf(refused);
  }
}
