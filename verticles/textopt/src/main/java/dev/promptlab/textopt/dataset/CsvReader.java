package dev.promptlab.textopt.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV as RFC 4180 writes it: a header row naming the columns ({@code input} and {@code expected} required, {@code id}
 * optional, any other column is metadata; names compared without case), fields separated by commas, or by semicolons
 * when the header has no comma but a semicolon (as spreadsheets in many locales save it), quoted with {@code "} when
 * they hold a separator, a quote ({@code ""}) or a line break. A record with the wrong number of fields or broken
 * quoting is refused and reading goes on with the next record. Blank lines are skipped.
 */
final class CsvReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RowChecks checks;
  private final int maxRows;
  private String text;
  private int position;
  private int line;
  private char separator;

  CsvReader(RowChecks checks, int maxRows) {
    this.checks = checks;
    this.maxRows = maxRows;
  }

  /** One record: its fields, or why it cannot be read, and the line it starts on. */
  private record Record(int line, List<String> fields, ParsedDataset.Refusal error) {
  }

  void read(String content) {
    text = content;
    position = 0;
    line = 1;
    separator = separatorOf(content);
    Record header = next();
    while (header != null && header.error() == null && blank(header.fields())) {
      header = next();
    }
    if (header == null) {
      throw DatasetRefusal.invalid("the file is empty");
    }
    if (header.error() != null) {
      throw DatasetRefusal.invalid("the header row (line " + header.line() + ") cannot be read: "
        + header.error().reason());
    }
    List<String> names = header.fields().stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).isEmpty()) {
        throw DatasetRefusal.invalid("column " + (i + 1) + " of the header row has no name");
      }
      if (columns.put(names.get(i), i) != null) {
        throw DatasetRefusal.invalid("the header row names the column " + names.get(i) + " twice");
      }
    }
    List<String> missing = new ArrayList<>();
    for (String required : List.of("input", "expected")) {
      if (!columns.containsKey(required)) {
        missing.add(required);
      }
    }
    if (!missing.isEmpty()) {
      throw DatasetRefusal.invalid("the header row lacks the column" + (missing.size() > 1 ? "s " : " ")
        + String.join(" and ", missing) + " (it names: " + String.join(", ", names) + ")");
    }
    for (Record record = next(); record != null; record = next()) {
      if (record.error() == null && blank(record.fields())) {
        continue;
      }
      checks.countRow(maxRows);
      if (record.error() != null) {
        checks.refuse(record.error());
      } else if (record.fields().size() != names.size()) {
        checks.refuse(ParsedDataset.Refusal.fieldCount(record.line(), record.fields().size(), names.size()));
      } else {
        offer(record, names, columns);
      }
    }
  }

  private void offer(Record record, List<String> names, Map<String, Integer> columns) {
    List<String> fields = record.fields();
    ObjectNode metadata = JSON.createObjectNode();
    for (int i = 0; i < names.size(); i++) {
      if (!List.of("input", "expected", "id").contains(names.get(i))) {
        metadata.put(names.get(i), fields.get(i));
      }
    }
    Integer idColumn = columns.get("id");
    String rowId = idColumn == null || fields.get(idColumn).isBlank() ? null : fields.get(idColumn).strip();
    checks.offer(record.line(), rowId, fields.get(columns.get("input")), fields.get(columns.get("expected")),
      metadata.toString());
  }

  private static boolean blank(List<String> fields) {
    return fields.size() == 1 && fields.get(0).isBlank();
  }

  private static char separatorOf(String content) {
    int end = content.indexOf('\n');
    String first = end < 0 ? content : content.substring(0, end);
    return first.indexOf(',') < 0 && first.indexOf(';') >= 0 ? ';' : ',';
  }

  /** The next record, or null at the end of the text; always moves past the record, even a broken one. */
  private Record next() {
    if (position >= text.length()) {
      return null;
    }
    int startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    ParsedDataset.Refusal error = null;
    boolean quoted = false;
    boolean afterQuote = false;
    while (position < text.length()) {
      char c = text.charAt(position++);
      if (quoted) {
        if (c == '"') {
          if (position < text.length() && text.charAt(position) == '"') {
            field.append('"');
            position++;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == separator) {
        fields.add(field.toString());
        field.setLength(0);
        afterQuote = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && position < text.length() && text.charAt(position) == '\n') {
          position++;
        }
        line++;
        break;
      } else if (c == '"' && field.length() == 0 && !afterQuote) {
        quoted = true;
      } else if (afterQuote || c == '"') {
        if (error == null) {
          error = afterQuote ? ParsedDataset.Refusal.textAfterQuote(startLine)
            : ParsedDataset.Refusal.quoteInField(startLine);
        }
        field.append(c);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      error = ParsedDataset.Refusal.unclosedQuote(startLine);
    }
    fields.add(field.toString());
    return new Record(startLine, fields, error);
  }
}
