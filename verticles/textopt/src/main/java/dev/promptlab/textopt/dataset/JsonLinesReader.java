package dev.promptlab.textopt.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * JSON Lines: one JSON object per line with {@code input} and {@code expected}, optionally {@code id} (a string or a
 * whole number); every other field is the row's metadata. Blank lines are skipped. A non-string {@code input} or
 * {@code expected} (an object, a number) is kept as its compact JSON text, so a task may expect JSON.
 */
final class JsonLinesReader {

  private static final Set<String> COLUMNS = Set.of("input", "expected", "id");
  private static final ObjectReader READER = new ObjectMapper()
    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
    .readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final RowChecks checks;
  private final int maxRows;

  JsonLinesReader(RowChecks checks, int maxRows) {
    this.checks = checks;
    this.maxRows = maxRows;
  }

  void read(String text) {
    int line = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      line++;
      String content = text.substring(start, end);
      if (content.endsWith("\r")) {
        content = content.substring(0, content.length() - 1);
      }
      if (!content.isBlank()) {
        checks.countRow(maxRows);
        row(line, content);
      }
      start = end + 1;
    }
  }

  private void row(int line, String content) {
    JsonNode node;
    try {
      node = READER.readValue(content);
    } catch (JsonProcessingException e) {
      checks.refuse(ParsedDataset.Refusal.invalidJson(line, e.getOriginalMessage()));
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      checks.refuse(ParsedDataset.Refusal.notAnObject(line));
      return;
    }
    JsonNode id = object.get("id");
    String rowId = null;
    if (id != null && !id.isNull()) {
      if (id.isTextual() && !id.asText().isBlank()) {
        rowId = id.asText().strip();
      } else if (id.isIntegralNumber()) {
        rowId = id.asText();
      } else {
        checks.refuse(ParsedDataset.Refusal.badId(line));
        return;
      }
    }
    ObjectNode metadata = object.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!COLUMNS.contains(field.getKey())) {
        metadata.set(field.getKey(), field.getValue());
      }
    }
    checks.offer(line, rowId, text(object.get("input")), text(object.get("expected")), metadata.toString());
  }

  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isTextual() ? value.asText() : value.toString();
  }
}
