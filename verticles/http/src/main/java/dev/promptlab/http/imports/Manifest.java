package dev.promptlab.http.imports;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A manifest of historical enhancements, read whole: CSV with a header row, or JSON Lines. Structure is checked
 * here (a manifest that is neither is refused whole with {@link ManifestRefused}); the fields of each row are
 * checked by {@link RowValidator}.
 *
 * @param format {@code csv} or {@code jsonl}
 * @param rows   the records in order, numbered from {@code firstRow} (the CSV header is not a row)
 */
record Manifest(String format, List<ManifestRow> rows) {

  static final String CSV = "csv";
  static final String JSONL = "jsonl";

  /** One record: its number and its values by field name (text from CSV; JSON values from JSON Lines). */
  record ManifestRow(int row, Map<String, Object> fields) {
  }

  /**
   * Reads {@code bytes} (UTF-8, an optional byte order mark) as the manifest named {@code name}: the extension
   * ({@code .csv}, {@code .jsonl}, {@code .ndjson}) says which format, else the first character ({@code {} is JSON
   * Lines). Rows are numbered from {@code firstRow}: a manifest sent in parts keeps its rows' numbers.
   */
  static Manifest parse(String name, byte[] bytes, int maxRows, int firstRow) {
    String text = utf8(bytes);
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    String format = format(name, text);
    List<ManifestRow> rows = CSV.equals(format) ? csv(text, firstRow) : jsonLines(text, firstRow);
    if (rows.isEmpty()) {
      throw new ManifestRefused("the manifest has no rows");
    }
    if (rows.size() > maxRows) {
      throw new ManifestRefused("the manifest has " + rows.size() + " rows; one import takes at most " + maxRows
        + " (split it)", true);
    }
    return new Manifest(format, rows);
  }

  private static String format(String name, String text) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return CSV;
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return JSONL;
    }
    return text.strip().startsWith("{") ? JSONL : CSV;
  }

  private static List<ManifestRow> csv(String text, int firstRow) {
    List<CsvRecords.Record> records = CsvRecords.parse(text);
    if (records.isEmpty()) {
      throw new ManifestRefused("the manifest is empty");
    }
    List<String> header = records.get(0).fields().stream().map(String::strip).toList();
    Set<String> seen = new HashSet<>();
    for (String column : header) {
      if (column.isEmpty()) {
        throw new ManifestRefused("not a CSV manifest: the header row has an empty column name");
      }
      if (!seen.add(column)) {
        throw new ManifestRefused("not a CSV manifest: the header names the column " + column + " twice");
      }
    }
    List<String> missing = RowValidator.missingColumns(seen);
    if (!missing.isEmpty()) {
      throw new ManifestRefused("not a CSV manifest: the header row (line 1) lacks the columns "
        + String.join(", ", missing) + "; it must name every required field");
    }
    List<ManifestRow> rows = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      CsvRecords.Record record = records.get(i);
      if (record.fields().size() != header.size()) {
        throw new ManifestRefused("not a CSV manifest: line " + record.line() + " has " + record.fields().size()
          + " fields, the header " + header.size());
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        fields.put(header.get(c), record.fields().get(c));
      }
      rows.add(new ManifestRow(firstRow + i - 1, fields));
    }
    return rows;
  }

  private static List<ManifestRow> jsonLines(String text, int firstRow) {
    List<ManifestRow> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      JsonObject object;
      try {
        object = new JsonObject(line);
      } catch (DecodeException | ClassCastException e) {
        throw new ManifestRefused("not a JSON Lines manifest: line " + (i + 1) + " is not a JSON object");
      }
      rows.add(new ManifestRow(firstRow + rows.size(), new LinkedHashMap<>(object.getMap())));
    }
    return rows;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ManifestRefused("the manifest is not UTF-8 text: neither CSV nor JSON Lines");
    }
  }
}
