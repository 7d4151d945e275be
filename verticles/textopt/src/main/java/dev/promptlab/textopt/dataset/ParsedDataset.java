package dev.promptlab.textopt.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset file read row by row: the rows accepted and those refused, each refusal with its line and reason, both in
 * file order.
 *
 * @param format {@code jsonl} or {@code csv}
 */
public record ParsedDataset(String format, List<DatasetRow> rows, List<Refusal> refused) {

  /**
   * A row that was not accepted: its line, a stable {@code code} with the {@code args} its sentence names (so a page
   * can say it in its own language) and the English {@code reason} the API answers with. Built only by the factories
   * below, so a code always comes with the same arguments and the same sentence.
   */
  public record Refusal(int line, String code, Map<String, String> args, String reason) {

    public Refusal {
      args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    static Refusal inputMissing(int line) {
      return new Refusal(line, "input_missing", Map.of(), "input is missing");
    }

    static Refusal inputEmpty(int line) {
      return new Refusal(line, "input_empty", Map.of(), "input is empty");
    }

    static Refusal expectedMissing(int line) {
      return new Refusal(line, "expected_missing", Map.of(), "expected is missing");
    }

    static Refusal fieldTooLong(int line, int max) {
      return new Refusal(line, "field_too_long", Map.of("max", String.valueOf(max)),
        "input and expected may have at most " + max + " characters each");
    }

    static Refusal idTooLong(int line, int max) {
      return new Refusal(line, "id_too_long", Map.of("max", String.valueOf(max)),
        "id may have at most " + max + " characters");
    }

    static Refusal duplicateId(int line, String id, int firstLine) {
      Map<String, String> args = new LinkedHashMap<>();
      args.put("id", id);
      args.put("first_line", String.valueOf(firstLine));
      return new Refusal(line, "duplicate_id", args, "duplicate id " + id + " (first on line " + firstLine + ")");
    }

    /** {@code detail} is the JSON parser's own (English) sentence: kept for the API, not an argument to translate. */
    static Refusal invalidJson(int line, String detail) {
      return new Refusal(line, "invalid_json", Map.of(), "not valid JSON: " + detail);
    }

    static Refusal notAnObject(int line) {
      return new Refusal(line, "not_an_object", Map.of(), "not a JSON object");
    }

    static Refusal badId(int line) {
      return new Refusal(line, "bad_id", Map.of(), "id must be a non-empty string or a whole number");
    }

    static Refusal fieldCount(int line, int fields, int columns) {
      Map<String, String> args = new LinkedHashMap<>();
      args.put("fields", String.valueOf(fields));
      args.put("columns", String.valueOf(columns));
      return new Refusal(line, "field_count", args, "has " + fields + " fields; the header has " + columns);
    }

    static Refusal quoteInField(int line) {
      return new Refusal(line, "quote_in_field", Map.of(),
        "a quote inside an unquoted field: quote the field and double its quotes");
    }

    static Refusal textAfterQuote(int line) {
      return new Refusal(line, "text_after_quote", Map.of(), "text after a closing quote: quote the whole field");
    }

    static Refusal unclosedQuote(int line) {
      return new Refusal(line, "unclosed_quote", Map.of(), "a quoted field is not closed before the end of the file");
    }
  }

  public ParsedDataset {
    rows = List.copyOf(rows);
    refused = List.copyOf(refused);
  }
}
