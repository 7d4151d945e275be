package dev.promptlab.http.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

  private static final String HEADER = "original_image,enhanced_image,api,strength,guidance_scale,control_weight,"
    + "prompt_version,rating,comments\n";

  private static Manifest parse(String name, String text) {
    return Manifest.parse(name, text.getBytes(StandardCharsets.UTF_8), 100, 1);
  }

  @Test
  void readsCsvWithQuotedCommasQuotesAndLineBreaksNumberingRowsWithoutTheHeader() {
    Manifest manifest = parse("m.csv", "\uFEFF" + HEADER
      + "a.png,b.png,leonardo,0.3,7.5,0.9,v1.0.0,4,\"warm, \"\"soft\"\"\nlight\"\r\n"
      + "\n"
      + "a.png,c.png,stablediffusion,0.2,8,0.8,v1.0.0,2,\n");
    assertEquals(Manifest.CSV, manifest.format());
    assertEquals(2, manifest.rows().size());
    assertEquals(1, manifest.rows().get(0).row());
    assertEquals("warm, \"soft\"\nlight", manifest.rows().get(0).fields().get("comments"));
    assertEquals(2, manifest.rows().get(1).row());
    assertEquals("", manifest.rows().get(1).fields().get("comments"));
  }

  @Test
  void readsJsonLinesByNameOrByItsFirstCharacter() {
    String text = "{\"original_image\": \"a.png\", \"rating\": 4}\n\n{\"original_image\": \"b.png\", \"rating\": 5}\n";
    for (String name : List.of("m.jsonl", "m.ndjson", "manifest")) {
      Manifest manifest = parse(name, text);
      assertEquals(Manifest.JSONL, manifest.format());
      assertEquals(2, manifest.rows().size());
      assertEquals(2, manifest.rows().get(1).row());
      assertEquals(5, manifest.rows().get(1).fields().get("rating"));
    }
  }

  @Test
  void refusesWholeWhatIsNeitherCsvNorJsonLines() {
    assertRefused("m.csv", "name,age\nana,3\n", "lacks the columns original_image, enhanced_image");
    assertRefused("m.csv", HEADER + "a.png,b.png\n", "line 2 has 2 fields, the header 9");
    assertRefused("m.csv", HEADER + "a.png,b.png,leonardo,0.3,7.5,0.9,v1.0.0,4,\"open\n", "never closed");
    assertRefused("m.csv", HEADER + "a.png,b\"x,leonardo,0.3,7.5,0.9,v1.0.0,4,\n", "a quote inside");
    assertRefused("m.jsonl", "{\"rating\": 4}\n[1, 2]\n", "line 2 is not a JSON object");
    assertRefused("m.jsonl", "{\"rating\": 4}\nnot json\n", "line 2 is not a JSON object");
    assertRefused("m.csv", HEADER, "no rows");
    assertRefused("m.csv", "", "empty");
    assertRefused("m.csv", "original_image,original_image\n", "twice");
    ManifestRefused binary = assertThrows(ManifestRefused.class,
      () -> Manifest.parse("m.csv", new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, 0}, 100, 1));
    assertTrue(binary.getMessage().contains("not UTF-8"), binary.getMessage());
  }

  @Test
  void aPartOfAManifestKeepsItsRowNumbers() {
    Manifest part = Manifest.parse("m.csv", (HEADER + "a.png,b.png,leonardo,0.3,7.5,0.9,v1.0.0,4,\n".repeat(2))
      .getBytes(StandardCharsets.UTF_8), 100, 101);
    assertEquals(List.of(101, 102), part.rows().stream().map(Manifest.ManifestRow::row).toList());
  }

  @Test
  void refusesMoreRowsThanTheLimitAsTooLarge() {
    String rows = HEADER + "a.png,b.png,leonardo,0.3,7.5,0.9,v1.0.0,4,\n".repeat(3);
    ManifestRefused refused = assertThrows(ManifestRefused.class,
      () -> Manifest.parse("m.csv", rows.getBytes(StandardCharsets.UTF_8), 2, 1));
    assertTrue(refused.tooLarge());
    assertTrue(refused.getMessage().contains("3 rows"), refused.getMessage());
  }

  private static void assertRefused(String name, String text, String expected) {
    ManifestRefused refused = assertThrows(ManifestRefused.class, () -> parse(name, text));
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }
}
