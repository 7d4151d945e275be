package dev.promptlab.textopt.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The checks every row goes through whatever its format, and what they accepted and refused so far. */
final class RowChecks {

  private static final int MAX_ID_CHARS = 200;

  private final DatasetLimits limits;
  private final List<DatasetRow> accepted = new ArrayList<>();
  private final List<ParsedDataset.Refusal> refused = new ArrayList<>();
  private final Map<String, Integer> idLines = new HashMap<>();

  RowChecks(DatasetLimits limits) {
    this.limits = limits;
  }

  /** Accepts the row or records why not; {@code input} and {@code expected} are null when absent. */
  void offer(int line, String rowId, String input, String expected, String metadata) {
    ParsedDataset.Refusal refusal = refusalOf(line, rowId, input, expected);
    if (refusal != null) {
      refused.add(refusal);
      return;
    }
    if (rowId != null) {
      Integer first = idLines.putIfAbsent(rowId, line);
      if (first != null) {
        refused.add(ParsedDataset.Refusal.duplicateId(line, rowId, first));
        return;
      }
    }
    accepted.add(new DatasetRow(line, rowId, input, expected, metadata));
  }

  private ParsedDataset.Refusal refusalOf(int line, String rowId, String input, String expected) {
    if (input == null) {
      return ParsedDataset.Refusal.inputMissing(line);
    }
    if (input.isBlank()) {
      return ParsedDataset.Refusal.inputEmpty(line);
    }
    if (expected == null) {
      return ParsedDataset.Refusal.expectedMissing(line);
    }
    if (input.length() > limits.maxFieldChars() || expected.length() > limits.maxFieldChars()) {
      return ParsedDataset.Refusal.fieldTooLong(line, limits.maxFieldChars());
    }
    if (rowId != null && rowId.length() > MAX_ID_CHARS) {
      return ParsedDataset.Refusal.idTooLong(line, MAX_ID_CHARS);
    }
    return null;
  }

  void refuse(ParsedDataset.Refusal refusal) {
    refused.add(refusal);
  }

  /** Rows seen so far, refused ones included. */
  int seen() {
    return accepted.size() + refused.size();
  }

  List<DatasetRow> accepted() {
    return accepted;
  }

  List<ParsedDataset.Refusal> refused() {
    return refused;
  }

  /** Throws once the file holds more rows than allowed. */
  void countRow(int maxRows) {
    if (seen() >= maxRows) {
      throw DatasetRefusal.beyondLimit("the file has more than " + maxRows + " rows");
    }
  }
}
