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
    String reason = reasonToRefuse(rowId, input, expected);
    if (reason != null) {
      refuse(line, reason);
      return;
    }
    if (rowId != null) {
      Integer first = idLines.putIfAbsent(rowId, line);
      if (first != null) {
        refuse(line, "duplicate id " + rowId + " (first on line " + first + ")");
        return;
      }
    }
    accepted.add(new DatasetRow(line, rowId, input, expected, metadata));
  }

  private String reasonToRefuse(String rowId, String input, String expected) {
    if (input == null) {
      return "input is missing";
    }
    if (input.isBlank()) {
      return "input is empty";
    }
    if (expected == null) {
      return "expected is missing";
    }
    if (input.length() > limits.maxFieldChars() || expected.length() > limits.maxFieldChars()) {
      return "input and expected may have at most " + limits.maxFieldChars() + " characters each";
    }
    if (rowId != null && rowId.length() > MAX_ID_CHARS) {
      return "id may have at most " + MAX_ID_CHARS + " characters";
    }
    return null;
  }

  void refuse(int line, String reason) {
    refused.add(new ParsedDataset.Refusal(line, reason));
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
