package dev.promptlab.http.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records: fields separated by commas, records by CRLF or LF, a field in double quotes may hold commas,
 * line breaks and doubled quotes. Blank lines are skipped. Each record keeps the line it starts on, for messages.
 */
final class CsvRecords {

  /** One record's fields and the line (from 1) where it starts. */
  record Record(int line, List<String> fields) {
  }

  private CsvRecords() {
  }

  /** Throws {@link ManifestRefused} for broken quoting: such a text is not CSV. */
  static List<Record> parse(String text) {
    List<Record> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false;
    boolean wasQuoted = false;
    boolean recordHasContent = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        i++;
        continue;
      }
      if (c == '"') {
        if (field.length() > 0 || wasQuoted) {
          throw new ManifestRefused("line " + line + ": a quote inside an unquoted field (quote the whole field "
            + "and double the quotes inside it)");
        }
        quoted = true;
        wasQuoted = true;
        recordHasContent = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
        recordHasContent = true;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (recordHasContent || field.length() > 0) {
          fields.add(field.toString());
          records.add(new Record(recordLine, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
        wasQuoted = false;
        recordHasContent = false;
        line++;
        recordLine = line;
      } else {
        if (wasQuoted) {
          throw new ManifestRefused("line " + line + ": text after a closing quote");
        }
        field.append(c);
        recordHasContent = true;
      }
      i++;
    }
    if (quoted) {
      throw new ManifestRefused("line " + recordLine + ": a quoted field is never closed");
    }
    if (recordHasContent || field.length() > 0) {
      fields.add(field.toString());
      records.add(new Record(recordLine, List.copyOf(fields)));
    }
    return records;
  }
}
