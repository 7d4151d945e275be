package dev.promptlab.textopt.dataset;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads an uploaded dataset file: strict UTF-8 (a byte order mark is allowed), JSON Lines or CSV, every row checked
 * on its own. A row that cannot be used is refused with its line and the reason and the others are kept; the file as
 * a whole is refused ({@link DatasetRefusal}) only when it is not UTF-8 text, is empty, lacks a required column, is
 * beyond a limit, or leaves fewer than two usable rows (one for training, one for evaluation).
 */
public final class DatasetParser {

  public static final String JSONL = "jsonl";
  public static final String CSV = "csv";
  /** Refusals quoted in the sentence of a file with no usable row. */
  private static final int QUOTED_REFUSALS = 5;

  private final DatasetLimits limits;

  public DatasetParser(DatasetLimits limits) {
    this.limits = limits;
  }

  /**
   * @param format {@code jsonl}, {@code csv}, or null to decide by the file name's extension, then by the content
   * @param filename the uploaded file's name, or null
   */
  public ParsedDataset parse(byte[] data, String format, String filename) {
    if (data.length > limits.maxBytes()) {
      throw DatasetRefusal.beyondLimit("the file has " + data.length + " bytes; a dataset may have at most "
        + limits.maxBytes());
    }
    String text = decode(data);
    if (text.isBlank()) {
      throw DatasetRefusal.invalid("the file is empty");
    }
    String chosen = format != null ? format : formatOf(filename, text);
    RowChecks checks = new RowChecks(limits);
    if (JSONL.equals(chosen)) {
      new JsonLinesReader(checks, limits.maxRows()).read(text);
    } else {
      new CsvReader(checks, limits.maxRows()).read(text);
    }
    ParsedDataset parsed = new ParsedDataset(chosen, checks.accepted(), checks.refused());
    if (parsed.rows().isEmpty()) {
      throw DatasetRefusal.invalid("no row of the file is usable: " + quoted(parsed));
    }
    if (parsed.rows().size() < 2) {
      throw DatasetRefusal.invalid("only one row of the file is usable; a dataset needs at least two, one to train"
        + " on and one to evaluate" + (parsed.refused().isEmpty() ? "" : " (refused: " + quoted(parsed) + ")"));
    }
    return parsed;
  }

  private static String quoted(ParsedDataset parsed) {
    StringBuilder out = new StringBuilder();
    parsed.refused().stream().limit(QUOTED_REFUSALS).forEach(r -> out.append(out.length() == 0 ? "" : "; ")
      .append("line ").append(r.line()).append(": ").append(r.reason()));
    if (parsed.refused().size() > QUOTED_REFUSALS) {
      out.append("; and ").append(parsed.refused().size() - QUOTED_REFUSALS).append(" more");
    }
    return out.toString();
  }

  /** By extension ({@code .jsonl}, {@code .ndjson}, {@code .csv}), else JSON Lines when the text starts with an object. */
  static String formatOf(String filename, String text) {
    String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    String start = text.stripLeading();
    if (start.startsWith("[")) {
      throw DatasetRefusal.invalid("the file is a JSON array; send JSON Lines instead: one JSON object per line");
    }
    return start.startsWith("{") ? JSONL : CSV;
  }

  /** Strict UTF-8 without its byte order mark; a malformed byte is refused with its offset and line. */
  static String decode(byte[] data) {
    if (data.length >= 2 && ((data[0] == (byte) 0xFE && data[1] == (byte) 0xFF)
      || (data[0] == (byte) 0xFF && data[1] == (byte) 0xFE))) {
      throw DatasetRefusal.invalid("the file is UTF-16 text; save it as UTF-8");
    }
    int start = data.length >= 3 && data[0] == (byte) 0xEF && data[1] == (byte) 0xBB && data[2] == (byte) 0xBF ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data, start, data.length - start);
    CharBuffer out = CharBuffer.allocate(data.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (data[i] == '\n') {
          line++;
        }
      }
      throw DatasetRefusal.invalid("the file is not UTF-8 text: byte " + offset + " (line " + line
        + ") cannot be decoded; save the file as UTF-8");
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
