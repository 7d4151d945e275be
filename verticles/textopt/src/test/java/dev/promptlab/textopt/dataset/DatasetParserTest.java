package dev.promptlab.textopt.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetParserTest {

  private static final DatasetParser PARSER = new DatasetParser(new DatasetLimits(10_000, 10, 50));

  private static ParsedDataset parse(String text, String filename) {
    return PARSER.parse(text.getBytes(StandardCharsets.UTF_8), null, filename);
  }

  private static DatasetRefusal refused(byte[] data, String filename) {
    return assertThrows(DatasetRefusal.class, () -> PARSER.parse(data, null, filename));
  }

  private static DatasetRefusal refused(String text, String filename) {
    return refused(text.getBytes(StandardCharsets.UTF_8), filename);
  }

  @Test
  void jsonLinesKeepIdsMetadataAndJsonValuedFieldsAndReportEachRefusedRowByLine() {
    ParsedDataset parsed = parse("""
      {"id": "q1", "input": "France", "expected": "Paris", "topic": "europe"}

      {"id": 2, "input": {"country": "Peru"}, "expected": "Lima"}
      {"input": "Spain"}
      {"id": "q1", "input": "Italy", "expected": "Rome"}
      [1, 2]
      {"input": "broken",
      {"input": "  ", "expected": "x"}
      {"id": 1.5, "input": "a", "expected": "b"}
      {"input": "Chile", "expected": "", "input": "twice"}
      """, "capitals.jsonl");
    assertEquals("jsonl", parsed.format());
    assertEquals(List.of(new DatasetRow(1, "q1", "France", "Paris", "{\"topic\":\"europe\"}"),
      new DatasetRow(3, "2", "{\"country\":\"Peru\"}", "Lima", "{}")), parsed.rows());
    assertEquals(List.of(4, 5, 6, 7, 8, 9, 10), parsed.refused().stream().map(ParsedDataset.Refusal::line).toList());
    assertEquals("expected is missing", parsed.refused().get(0).reason());
    assertEquals("duplicate id q1 (first on line 1)", parsed.refused().get(1).reason());
    assertEquals("not a JSON object", parsed.refused().get(2).reason());
    assertTrue(parsed.refused().get(3).reason().startsWith("not valid JSON"), parsed.refused().get(3).reason());
    assertEquals("input is empty", parsed.refused().get(4).reason());
    assertEquals("id must be a non-empty string or a whole number", parsed.refused().get(5).reason());
    assertTrue(parsed.refused().get(6).reason().contains("Duplicate field"), parsed.refused().get(6).reason());
    assertEquals(List.of("expected_missing", "duplicate_id", "not_an_object", "invalid_json", "input_empty", "bad_id",
      "invalid_json"), parsed.refused().stream().map(ParsedDataset.Refusal::code).toList());
    assertEquals(Map.of("id", "q1", "first_line", "1"), parsed.refused().get(1).args(),
      "a page says the sentence in its own language from the code and these");
    assertEquals(Map.of(), parsed.refused().get(3).args(), "the parser's English detail is not an argument");
  }

  @Test
  void csvReadsQuotedSeparatorsQuotesAndLineBreaksAndNumbersRowsByTheirFirstLine() {
    ParsedDataset parsed = parse("ID,Input,Expected,source\r\n"
      + "a1,\"Say \"\"hi\"\", please\",hi,manual\r\n"
      + "a2,\"two\nlines\",\"x, y\",\r\n"
      + "\r\n"
      + "a3,short row\r\n"
      + "a4,bad\"quote,z,m\r\n"
      + "a5,\"closed\"late,z,m\r\n"
      + ",no id,yes,m\r\n", "set.csv");
    assertEquals("csv", parsed.format());
    assertEquals(List.of(new DatasetRow(2, "a1", "Say \"hi\", please", "hi", "{\"source\":\"manual\"}"),
      new DatasetRow(3, "a2", "two\nlines", "x, y", "{\"source\":\"\"}"),
      new DatasetRow(9, null, "no id", "yes", "{\"source\":\"m\"}")), parsed.rows());
    assertEquals(List.of(new ParsedDataset.Refusal(6, "field_count", Map.of("fields", "2", "columns", "4"),
        "has 2 fields; the header has 4"),
      new ParsedDataset.Refusal(7, "quote_in_field", Map.of(),
        "a quote inside an unquoted field: quote the field and double its quotes"),
      new ParsedDataset.Refusal(8, "text_after_quote", Map.of(), "text after a closing quote: quote the whole field")),
      parsed.refused());
  }

  @Test
  void csvWithSemicolonsAsSpreadsheetsInManyLocalesSaveIt() {
    ParsedDataset parsed = parse("input;expected\n¿Capital de Francia?;París\nDos;2,0\n", null);
    assertEquals("csv", parsed.format());
    assertEquals("París", parsed.rows().get(0).expected());
    assertEquals("2,0", parsed.rows().get(1).expected());
  }

  @Test
  void anUnclosedQuoteRefusesTheRecordItOpens() {
    ParsedDataset parsed = parse("input,expected\na,b\nc,d\n\"e,f\ng,h\n", "x.csv");
    assertEquals(2, parsed.rows().size());
    assertEquals(List.of(new ParsedDataset.Refusal(4, "unclosed_quote", Map.of(),
      "a quoted field is not closed before the end of the file")), parsed.refused());
  }

  @Test
  void theFormatComesFromTheExtensionElseFromTheContent() {
    assertEquals("jsonl", parse("{\"input\":\"a\",\"expected\":\"b\"}\n{\"input\":\"c\",\"expected\":\"d\"}", "x.txt")
      .format());
    assertEquals("csv", parse("input,expected\na,b\nc,d\n", null).format());
    assertTrue(refused("[{\"input\":\"a\",\"expected\":\"b\"}]", "x.json").getMessage().contains("JSON array"));
  }

  @Test
  void aCsvHeaderWithoutTheRequiredColumnsRefusesTheFile() {
    DatasetRefusal missing = refused("question,answer\na,b\n", "x.csv");
    assertEquals("the header row lacks the columns input and expected (it names: question, answer)",
      missing.getMessage());
    assertFalse(missing.tooLarge());
    assertEquals("the header row names the column input twice", refused("input,expected,INPUT\na,b,c\n", "x.csv")
      .getMessage());
    assertEquals("column 2 of the header row has no name", refused("input,,expected\na,b,c\n", "x.csv").getMessage());
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedWithTheirOffsetAndLine() {
    byte[] latin1 = "input,expected\nCaf\u00e9,coffee\n".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("the file is not UTF-8 text: byte 18 (line 2) cannot be decoded; save the file as UTF-8",
      refused(latin1, "x.csv").getMessage());
    byte[] utf16 = "input,expected\n".getBytes(StandardCharsets.UTF_16);
    assertEquals("the file is UTF-16 text; save it as UTF-8", refused(utf16, "x.csv").getMessage());
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    byte[] withBom = ("\uFEFFinput,expected\na,b\nc,d\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(2, PARSER.parse(withBom, null, "x.csv").rows().size());
  }

  @Test
  void emptyFilesAndFilesWithoutTwoUsableRowsAreRefused() {
    assertEquals("the file is empty", refused(new byte[0], "x.csv").getMessage());
    assertEquals("the file is empty", refused(" \n\r\n ", "x.jsonl").getMessage());
    assertEquals("no row of the file is usable: line 2: input is empty", refused("input,expected\n,b\n", "x.csv")
      .getMessage());
    assertTrue(refused("{\"input\":\"a\",\"expected\":\"b\"}\n{\"input\":\"a\"}\n", "x.jsonl").getMessage()
      .startsWith("only one row of the file is usable"));
    assertTrue(refused("input,expected\n", "x.csv").getMessage().startsWith("no row of the file is usable"));
  }

  @Test
  void limitsOnBytesRowsAndFieldLength() {
    DatasetRefusal bytes = refused(new byte[10_001], "x.csv");
    assertTrue(bytes.tooLarge());
    assertEquals("the file has 10001 bytes; a dataset may have at most 10000", bytes.getMessage());
    StringBuilder rows = new StringBuilder("input,expected\n");
    for (int i = 0; i < 11; i++) {
      rows.append("q").append(i).append(",a\n");
    }
    DatasetRefusal tooMany = refused(rows.toString(), "x.csv");
    assertTrue(tooMany.tooLarge());
    assertEquals("the file has more than 10 rows", tooMany.getMessage());
    ParsedDataset parsed = parse("input,expected\na,b\nc,d\n" + "e".repeat(51) + ",f\n", "x.csv");
    assertEquals(List.of(new ParsedDataset.Refusal(4, "field_too_long", Map.of("max", "50"),
      "input and expected may have at most 50 characters each")), parsed.refused());
  }
}
